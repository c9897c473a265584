/**
 * What happens to a message sent to a %RETRY%<group> topic (RocketMQ's `handleRetryAndDLQ`): once its
 * reconsumeTimes reaches the group's limit it is diverted to %DLQ%<group> instead, where it waits for
 * a human. Consumers that cannot reach the broker with CONSUMER_SEND_MSG_BACK send failed messages
 * this way, so the limit has to be enforced here too.
 *
 * Interview question: "What is a dead-letter queue, and when does a message get there?" — after
 * retryMaxTimes (16) failed deliveries; the DLQ topic has one queue per group and is not consumed by
 * default. Below the limit the message keeps its DELAY level (the client sets 3 + reconsumeTimes), so
 * the send path parks it in SCHEDULE_TOPIC_XXXX exactly like a CONSUMER_SEND_MSG_BACK would
 * (processors/consumer-send-msg-back.processor.ts applies the same limit the same way).
 */
import { ResponseCode } from '@flashsale/mq/protocol';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import { RETRY_GROUP_TOPIC_PREFIX, isRetryTopic } from '../topic/topic-validator';
import { ensureDeadLetterTopic } from './dead-letter-queue';

/** Header version from which the request's maxReconsumeTimes is trusted (MQVersion V3_4_9). */
export const MAX_RECONSUME_TIMES_IN_HEADER_SINCE = 121;

/** The retry limit: the request's own maxReconsumeTimes from V3_4_9 on, else the group's retryMaxTimes. */
export function maxReconsumeTimesOf(
  requestVersion: number,
  headerMaxReconsumeTimes: number | undefined,
  groupRetryMaxTimes: number,
): number {
  const trustHeader =
    requestVersion >= MAX_RECONSUME_TIMES_IN_HEADER_SINCE && headerMaxReconsumeTimes !== undefined;
  return trustHeader ? (headerMaxReconsumeTimes as number) : groupRetryMaxTimes;
}

export type RetryRouting =
  | { kind: 'DELIVER'; topic: string; queueId: number; clearDelay: boolean }
  | { kind: 'REJECT'; code: number; remark: string };

export interface RetryRoutingRequest {
  topic: string;
  queueId: number;
  reconsumeTimes: number | undefined;
  maxReconsumeTimes: number | undefined;
  requestVersion: number;
}

export function routeRetryMessage(
  request: RetryRoutingRequest,
  groups: SubscriptionGroupManager,
  topics: TopicConfigManager,
): RetryRouting {
  const unchanged: RetryRouting = {
    kind: 'DELIVER',
    topic: request.topic,
    queueId: request.queueId,
    clearDelay: false,
  };
  if (!isRetryTopic(request.topic)) return unchanged;
  const group = request.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
  const groupConfig = groups.findSubscriptionGroupConfig(group);
  if (!groupConfig) {
    return {
      kind: 'REJECT',
      code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      remark: `subscription group not exist, ${group}`,
    };
  }
  const maxReconsumeTimes = maxReconsumeTimesOf(
    request.requestVersion,
    request.maxReconsumeTimes,
    groupConfig.retryMaxTimes,
  );
  if ((request.reconsumeTimes ?? 0) < maxReconsumeTimes) return unchanged;

  const dlq = ensureDeadLetterTopic(topics, group);
  return { kind: 'DELIVER', topic: dlq.topicName, queueId: 0, clearDelay: true };
}
