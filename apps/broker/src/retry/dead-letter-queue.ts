/**
 * The dead-letter queue of a consumer group, %DLQ%<group>: one queue, created the first time a
 * message of the group runs out of retries (RocketMQ's `MixAll.getDLQTopic`, `DLQ_NUMS_PER_GROUP`).
 *
 * Interview question: "死信队列的使用场景？" (What is the dead-letter queue for?) — it parks
 * messages that failed retryMaxTimes (16) times, so one poison message cannot block or flood a
 * group; a human (or a repair job) looks at them and resends them to the original topic.
 *
 * Permission: WRITE only (2), as in RocketMQ 4.4 – 4.9.1, so no consumer can subscribe to it by
 * accident (4.9.2 made it 6). Admin access goes around that: QUERY_MESSAGE / VIEW_MESSAGE_BY_ID work
 * on any topic, and a PULL from the tools group TOOLS_CONSUMER may read a DLQ (see
 * `mayPullWithoutReadPermission`). Resending is a plain SEND to the original topic (RETRY_TOPIC).
 */
import type { TopicConfig } from '@flashsale/mq/protocol';
import { PermName } from '../topic/perm-name';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import { DLQ_GROUP_TOPIC_PREFIX, DLQ_NUMS_PER_GROUP, dlqTopicOf } from '../topic/topic-validator';

/** RocketMQ's MixAll.TOOLS_CONSUMER_GROUP: the group admin tools read with. */
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';

export const DLQ_PERM = PermName.WRITE;

/** Creates %DLQ%<group> on first use (registered with the NameServers by the topic-change listener). */
export function ensureDeadLetterTopic(topics: TopicConfigManager, group: string): TopicConfig {
  return topics.createTopicInSendMessageBackMethod(dlqTopicOf(group), DLQ_NUMS_PER_GROUP, DLQ_PERM, 0);
}

export function isDeadLetterTopic(topic: string): boolean {
  return topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}

/** The admin read path: the tools group may pull a DLQ although the topic has no READ bit. */
export function mayPullWithoutReadPermission(group: string, topic: string): boolean {
  return group === TOOLS_CONSUMER_GROUP && isDeadLetterTopic(topic);
}
