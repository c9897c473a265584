/**
 * Topic names and the topics the broker keeps for itself (RocketMQ's `TopicValidator` and `MixAll`).
 *
 * Interview question: "Why can't I call my topic anything I like?" — the name is stored with a one-byte
 * length in every CommitLog record (so at most 127 bytes), it becomes a directory name under
 * consumequeue/, and a handful of names (TBW102, SCHEDULE_TOPIC_XXXX, the half-message topics, ...)
 * carry the broker's own machinery.
 */
export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';
export const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';
/** 5.x timer messages wait in this topic's queue 0 until the timing wheel delivers them. */
export const TIMER_TOPIC = 'rmq_sys_wheel_timer';
export const BENCHMARK_TOPIC = 'BenchmarkTest';
export const SELF_TEST_TOPIC = 'SELF_TEST_TOPIC';
export const OFFSET_MOVED_EVENT = 'OFFSET_MOVED_EVENT';
export const RMQ_SYS_TRANS_HALF_TOPIC = 'RMQ_SYS_TRANS_HALF_TOPIC';
export const RMQ_SYS_TRANS_OP_HALF_TOPIC = 'RMQ_SYS_TRANS_OP_HALF_TOPIC';
export const RMQ_SYS_TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
export const TRANS_CHECK_MAX_TIME_TOPIC = 'TRANS_CHECK_MAX_TIME_TOPIC';
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';

export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
/** One dead-letter queue per consumer group. */
export const DLQ_NUMS_PER_GROUP = 1;

export const TOPIC_MAX_LENGTH = 127;
export const VALID_TOPIC_PATTERN = /^[%|a-zA-Z0-9_-]+$/;
const VALID_TOPIC_PATTERN_TEXT = '^[%|a-zA-Z0-9_-]+$';

/** Topics that exist for the broker's machinery; admin tools may not create or change them. */
const SYSTEM_TOPICS: ReadonlySet<string> = new Set([
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  SCHEDULE_TOPIC,
  TIMER_TOPIC,
  BENCHMARK_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRACE_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TRANS_CHECK_MAX_TIME_TOPIC,
  SELF_TEST_TOPIC,
  OFFSET_MOVED_EVENT,
]);

/** Topics only the broker itself writes to; a producer sending there gets NO_PERMISSION. */
const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
  SCHEDULE_TOPIC,
  TIMER_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TRANS_CHECK_MAX_TIME_TOPIC,
  SELF_TEST_TOPIC,
  OFFSET_MOVED_EVENT,
]);

export function retryTopicOf(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}

export function dlqTopicOf(group: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + group;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPICS.has(topic);
}

export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND_TOPICS.has(topic);
}

/** undefined when the name is acceptable, else the remark RocketMQ's validator would give. */
export function checkTopicName(topic: string | undefined): string | undefined {
  if (topic === undefined || topic.trim().length === 0) return 'The specified topic is blank.';
  if (!VALID_TOPIC_PATTERN.test(topic)) {
    return `The specified topic[${topic}] contains illegal characters, allowing only ${VALID_TOPIC_PATTERN_TEXT}`;
  }
  if (topic.length > TOPIC_MAX_LENGTH) {
    return `The specified topic[${topic}] is longer than topic max length ${TOPIC_MAX_LENGTH}.`;
  }
  return undefined;
}
