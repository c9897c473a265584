/**
 * QueryMessageProcessor: VIEW_MESSAGE_BY_ID (33) and QUERY_MESSAGE (12).
 *
 * Interview question: "How do you find a message when a customer complains?" — by its offset msgId
 * (the id itself says which broker and which CommitLog offset: one read, no index), or by business
 * key / unique key through the IndexFile, a hash index from key to CommitLog offsets. Both return the
 * records exactly as stored, the same bytes a pull would.
 */
import {
  type RemotingCommand,
  RequestCode,
  ResponseCode,
  createResponse,
  parseQueryMessageRequestHeader,
  parseViewMessageByIdRequestHeader,
} from '@flashsale/mq/protocol';
import type { BrokerConfig } from '../broker-config';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import type { MessageStore } from '../store';

export class QueryMessageProcessor implements RequestProcessor {
  constructor(
    private readonly store: MessageStore,
    private readonly brokerConfig: BrokerConfig,
  ) {}

  processRequest(_channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    if (request.code === RequestCode.VIEW_MESSAGE_BY_ID) return this.viewMessageById(request);
    return this.queryMessage(request);
  }

  private viewMessageById(request: RemotingCommand): RemotingCommand {
    const { offset } = parseViewMessageByIdRequestHeader(request.extFields);
    const record = this.store.selectOneMessageByOffset(offset);
    if (!record) {
      return createResponse(
        request,
        ResponseCode.SYSTEM_ERROR,
        {},
        undefined,
        `can not find message by the offset, ${offset}`,
      );
    }
    return createResponse(request, ResponseCode.SUCCESS, {}, record);
  }

  private queryMessage(request: RemotingCommand): RemotingCommand {
    const header = parseQueryMessageRequestHeader(request.extFields);
    // A unique key names one message (or its few retried copies), whatever the caller asked for.
    const requested = header._UNIQUE_KEY_QUERY ? this.brokerConfig.defaultQueryMaxNum : header.maxNum;
    const maxNum = Math.max(0, Math.min(requested, this.store.config.maxMsgsNumBatch));
    const result = this.store.queryMessage(
      header.topic,
      header.key,
      maxNum,
      header.beginTimestamp,
      header.endTimestamp,
    );
    const ext = {
      indexLastUpdateTimestamp: String(result.indexLastUpdateTimestamp),
      indexLastUpdatePhyoffset: String(result.indexLastUpdatePhyoffset),
    };
    if (result.messages.length === 0) {
      return createResponse(
        request,
        ResponseCode.QUERY_NOT_FOUND,
        ext,
        undefined,
        'can not find message, maybe time range not correct',
      );
    }
    return createResponse(request, ResponseCode.SUCCESS, ext, Buffer.concat(result.messages));
  }
}
