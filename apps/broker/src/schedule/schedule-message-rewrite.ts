/**
 * The put-side half of delayed messages (RocketMQ 4.x `CommitLog.asyncPutMessage`): a message with a
 * DELAY level is not stored in its own topic but in SCHEDULE_TOPIC_XXXX, queue level − 1, with its
 * real destination kept in the REAL_TOPIC and REAL_QID properties. Its ConsumeQueue entry carries the
 * delivery time (store time + level delay) where a normal entry carries the tag hash, so the
 * ScheduleMessageService can decide "due or not" from the ConsumeQueue alone.
 *
 * Interview question: "延迟消息可以精确到毫秒吗？" (Can delayed messages be precise to the
 * millisecond?) — not in 4.x: only 18 levels. The fixed levels are the point of the design — every
 * message in one level's queue has the same delay, so the queue is already sorted by delivery time
 * and a single pointer per level (delayOffset.json) is all the scheduler needs.
 */
import { MessageConst, type MessageRecord, MessageSysFlag, transactionType } from '@flashsale/mq/protocol';
import { SCHEDULE_TOPIC } from '../topic/topic-validator';
import type { DelayLevelTable } from './delay-level-table';

/** Only plain and committed messages are delayed; half messages wait for their commit first. */
export function mayBeScheduled(sysFlag: number): boolean {
  const type = transactionType(sysFlag);
  return type === MessageSysFlag.TRANSACTION_NOT_TYPE || type === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
}

/** The DELAY property as a number; 0 when absent or not a number. */
export function delayLevelOf(properties: Record<string, string>): number {
  const text = properties[MessageConst.DELAY];
  if (text === undefined) return 0;
  const level = Number.parseInt(text, 10);
  return Number.isFinite(level) ? level : 0;
}

/**
 * Moves a delayed message into SCHEDULE_TOPIC_XXXX (in place). Returns false, leaving the record
 * untouched, when it carries no delay or may not be delayed.
 */
export function rewriteToScheduleTopic(record: MessageRecord, table: DelayLevelTable): boolean {
  if (!mayBeScheduled(record.sysFlag)) return false;
  const level = delayLevelOf(record.properties);
  if (level <= 0) return false;
  const clamped = table.clamp(level);
  record.properties[MessageConst.DELAY] = String(clamped);
  record.properties[MessageConst.REAL_TOPIC] = record.topic;
  record.properties[MessageConst.REAL_QID] = String(record.queueId);
  record.topic = SCHEDULE_TOPIC;
  record.queueId = table.queueIdOf(clamped);
  return true;
}

/** ConsumeQueue tagsCode of a SCHEDULE_TOPIC_XXXX entry: when it is due. */
export function scheduleDeliverTimestamp(
  table: DelayLevelTable,
  properties: Record<string, string>,
  storeTimestamp: number,
): number {
  return storeTimestamp + table.delayMillisOf(delayLevelOf(properties));
}
