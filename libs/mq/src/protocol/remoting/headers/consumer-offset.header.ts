/**
 * Headers of QUERY_CONSUMER_OFFSET (14) and UPDATE_CONSUMER_OFFSET (15).
 *
 * Interview question: "Where is consumption progress kept?" — in clustering mode on the broker, per
 * (group, topic, queue); consumers commit it periodically (Java: oneway every 5 s), which is why a crash
 * can redeliver a few messages and consumers must be idempotent.
 */
import { type ExtFields, requireInt, requireLong, requireString } from './header-fields';

export interface QueryConsumerOffsetRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
}

export function parseQueryConsumerOffsetRequestHeader(ext: ExtFields): QueryConsumerOffsetRequestHeader {
  return {
    consumerGroup: requireString(ext, 'consumerGroup'),
    topic: requireString(ext, 'topic'),
    queueId: requireInt(ext, 'queueId'),
  };
}

export interface QueryConsumerOffsetResponseHeader {
  offset: number;
}

export function parseQueryConsumerOffsetResponseHeader(ext: ExtFields): QueryConsumerOffsetResponseHeader {
  return { offset: requireLong(ext, 'offset') };
}

export interface UpdateConsumerOffsetRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  commitOffset: number;
}

export function parseUpdateConsumerOffsetRequestHeader(ext: ExtFields): UpdateConsumerOffsetRequestHeader {
  return {
    consumerGroup: requireString(ext, 'consumerGroup'),
    topic: requireString(ext, 'topic'),
    queueId: requireInt(ext, 'queueId'),
    commitOffset: requireLong(ext, 'commitOffset'),
  };
}
