/**
 * What happens to a message sent to a %RETRY%<group> topic (RocketMQ's `handleRetryAndDLQ`): once its
 * reconsumeTimes reaches the group's limit it is diverted to %DLQ%<group> instead, where it waits for
 * a human. Consumers that cannot reach the broker with CONSUMER_SEND_MSG_BACK send failed messages
 * this way, so the limit has to be enforced here too.
 *
 * Interview question: "What is a dead-letter queue, and when does a message get there?" — after
 * retryMaxTimes (16) failed deliveries; the DLQ topic has one queue per group and is not consumed by
 * default. The delayed re-delivery schedule itself belongs to CONSUMER_SEND_MSG_BACK (a later chapter).
 */
import { ResponseCode } from '@flashsale/mq/protocol';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager';
import { READ_WRITE } from '../topic/perm-name';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import {
  DLQ_NUMS_PER_GROUP,
  RETRY_GROUP_TOPIC_PREFIX,
  dlqTopicOf,
  isRetryTopic,
} from '../topic/topic-validator';

/** Header version from which the request's maxReconsumeTimes is trusted (MQVersion V3_4_9). */
const MAX_RECONSUME_TIMES_IN_HEADER_SINCE = 121;

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
  const trustHeader =
    request.requestVersion >= MAX_RECONSUME_TIMES_IN_HEADER_SINCE && request.maxReconsumeTimes !== undefined;
  const maxReconsumeTimes = trustHeader ? (request.maxReconsumeTimes as number) : groupConfig.retryMaxTimes;
  if ((request.reconsumeTimes ?? 0) < maxReconsumeTimes) return unchanged;

  const dlqTopic = dlqTopicOf(group);
  topics.createTopicInSendMessageBackMethod(dlqTopic, DLQ_NUMS_PER_GROUP, READ_WRITE, 0);
  return { kind: 'DELIVER', topic: dlqTopic, queueId: 0, clearDelay: true };
}
