/**
 * A handler for one family of request codes (RocketMQ's NettyRequestProcessor). The remoting server
 * dispatches each decoded request to the processor registered for its code.
 *
 * Return the response, or undefined when there is nothing to answer yet (a long-polling pull that is
 * parked and will be answered later through `channel.write`) or nothing to answer at all. The server
 * never writes a response to a request flagged ONEWAY, and turns a thrown error into SYSTEM_ERROR
 * (HeaderFieldError → its response code) with the message as remark.
 */
import type { RemotingCommand } from '@flashsale/mq/protocol';
import type { RemotingChannel } from './remoting-channel';

export interface RequestProcessor {
  processRequest(
    channel: RemotingChannel,
    request: RemotingCommand,
  ): RemotingCommand | undefined | Promise<RemotingCommand | undefined>;
  /** Optional back-pressure hook: true makes the server answer SYSTEM_BUSY instead of dispatching. */
  rejectRequest?(): boolean;
}
