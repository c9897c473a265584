/**
 * Headers of the client-management requests: UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38)
 * and NOTIFY_CONSUMER_IDS_CHANGED (40). HEART_BEAT (34) has no header, only a body (heartbeat-data.body.ts).
 *
 * Interview question: "How does a consumer group rebalance?" — each consumer asks a broker for the
 * group's member list and divides the queues itself; the broker pushes NOTIFY_CONSUMER_IDS_CHANGED
 * when members come or go so that everyone rebalances at once.
 */
import { type ExtFields, optionalString, requireString } from './header-fields';

export interface UnregisterClientRequestHeader {
  clientID: string;
  producerGroup?: string;
  consumerGroup?: string;
}

export function parseUnregisterClientRequestHeader(ext: ExtFields): UnregisterClientRequestHeader {
  return {
    clientID: requireString(ext, 'clientID'),
    producerGroup: optionalString(ext, 'producerGroup'),
    consumerGroup: optionalString(ext, 'consumerGroup'),
  };
}

export interface GetConsumerListByGroupRequestHeader {
  consumerGroup: string;
}

export function parseGetConsumerListByGroupRequestHeader(
  ext: ExtFields,
): GetConsumerListByGroupRequestHeader {
  return { consumerGroup: requireString(ext, 'consumerGroup') };
}

export interface NotifyConsumerIdsChangedRequestHeader {
  consumerGroup: string;
}

export function parseNotifyConsumerIdsChangedRequestHeader(
  ext: ExtFields,
): NotifyConsumerIdsChangedRequestHeader {
  return { consumerGroup: requireString(ext, 'consumerGroup') };
}
