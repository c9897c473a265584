/**
 * Broker2Client: requests the broker sends down a client's own connection.
 *
 * Interview question: "How do consumers learn that the group changed?" — the broker sends
 * NOTIFY_CONSUMER_IDS_CHANGED (oneway) to every member, and each one rebalances at once instead of
 * waiting for its 20 s (Java) / 10 s (ali-ons) periodic rebalance. Being oneway, nothing depends on
 * the client answering — some clients (ali-ons) never do.
 */
import { RequestCode, createRequest, markOneway } from '@flashsale/mq/protocol';
import type { RemotingChannel } from '../remoting/remoting-channel';

export function notifyConsumerIdsChanged(channel: RemotingChannel, consumerGroup: string): boolean {
  if (!channel.isActive) return false;
  return channel.write(markOneway(createRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup })));
}
