/**
 * The half message, its op and its commit as pure record transformations (RocketMQ's
 * `TransactionalMessageUtil` plus the message-building parts of `TransactionalMessageBridge` and
 * `EndTransactionProcessor`). No I/O here: the bridge stores what these functions build.
 *
 * Interview question: "RocketMQ 的事务消息如何实现的？(How are transactional messages implemented?)"
 * — by hiding the message: a half message is the real message with its topic and queue moved into
 * properties (REAL_TOPIC / REAL_QID) and stored under RMQ_SYS_TRANS_HALF_TOPIC queue 0, a topic no
 * consumer subscribes to. Commit copies it back to the real topic; both outcomes write an "op"
 * message that marks the half message as resolved.
 */
import {
  MessageConst,
  type MessageRecord,
  MessageSysFlag,
  resetTransactionType,
  TransactionCommitType,
} from '@flashsale/mq/protocol';
import {
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TRANS_CHECK_MAX_TIME_TOPIC,
} from '../topic/topic-validator';

export { RMQ_SYS_TRANS_HALF_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC, TRANS_CHECK_MAX_TIME_TOPIC };

/** The system consumer group whose offsets record how far the check service has read. */
export const TRANS_CHECK_GROUP = 'CID_RMQ_SYS_TRANS';
/** Tag of every op message ("d" for delete: the half message is done). */
export const REMOVE_TAG = 'd';
/** Half messages live in queue 0 of the half topic, ops in the same queue id of the op topic. */
export const HALF_QUEUE_ID = 0;

/**
 * Properties a half message must not carry. A delay level (or a 5.x timer) on a NOT_TYPE record
 * would send the half message itself to SCHEDULE_TOPIC_XXXX, overwriting REAL_TOPIC — the half
 * message would then never be found by END_TRANSACTION (apache/rocketmq#1540). RocketMQ 4.x simply
 * does not support delayed transactional messages, so we drop the delay and document it.
 */
const NOT_FOR_HALF_MESSAGES = [
  MessageConst.DELAY,
  MessageConst.TIMER_DELIVER_MS,
  MessageConst.TIMER_DELAY_SEC,
  MessageConst.TIMER_DELAY_MS,
] as const;

/** A producer's transactional send: property TRAN_MSG=true (the sysFlag bit is advisory). */
export function isTransactionPrepared(properties: Readonly<Record<string, string>>): boolean {
  return properties[MessageConst.TRAN_MSG] === 'true';
}

/** RocketMQ's `parseHalfMessageInner`: hide the message under the half topic, queue 0. */
export function toHalfMessage(record: MessageRecord): MessageRecord {
  const properties: Record<string, string> = {
    ...record.properties,
    [MessageConst.REAL_TOPIC]: record.topic,
    [MessageConst.REAL_QID]: String(record.queueId),
  };
  for (const name of NOT_FOR_HALF_MESSAGES) delete properties[name];
  return {
    ...record,
    topic: RMQ_SYS_TRANS_HALF_TOPIC,
    queueId: HALF_QUEUE_ID,
    // NOT_TYPE, not PREPARED: the half queue needs queue offsets so that it can be read like any queue.
    sysFlag: resetTransactionType(record.sysFlag, MessageSysFlag.TRANSACTION_NOT_TYPE),
    properties,
  };
}

/** The topic and queue the producer meant; undefined if the record is not a half message. */
export function realDestinationOf(half: MessageRecord): { topic: string; queueId: number } | undefined {
  const topic = half.properties[MessageConst.REAL_TOPIC];
  const queueId = Number(half.properties[MessageConst.REAL_QID]);
  if (!topic || !Number.isInteger(queueId) || queueId < 0) return undefined;
  return { topic, queueId };
}

/**
 * COMMIT: the message the consumers will see (RocketMQ's `endMessageTransaction`). Real topic and
 * queue back, REAL_* and TRAN_MSG gone, sysFlag COMMIT, preparedTransactionOffset pointing at the
 * half message, and WAIT=false because the producer is not waiting for this write.
 * The store assigns its own store time and recomputes the tagsCode from TAGS when it dispatches.
 */
export function toCommittedMessage(half: MessageRecord): MessageRecord | undefined {
  const real = realDestinationOf(half);
  if (!real) return undefined;
  const properties: Record<string, string> = { ...half.properties, [MessageConst.WAIT]: 'false' };
  delete properties[MessageConst.REAL_TOPIC];
  delete properties[MessageConst.REAL_QID];
  delete properties[MessageConst.TRAN_MSG];
  return {
    ...half,
    topic: real.topic,
    queueId: real.queueId,
    sysFlag: resetTransactionType(half.sysFlag, TransactionCommitType.COMMIT),
    preparedTransactionOffset: half.commitLogOffset,
    storeTimestamp: half.storeTimestamp,
    properties,
    queueOffset: 0,
    commitLogOffset: 0,
  };
}

/**
 * The op that resolves one half message: tag `d`, body = the half message's queue offset in decimal.
 * Stored in the op topic's queue with the half queue's id.
 */
export function toOpMessage(half: MessageRecord, template: Pick<MessageRecord, 'storeHost'>): MessageRecord {
  return {
    topic: RMQ_SYS_TRANS_OP_HALF_TOPIC,
    queueId: half.queueId,
    flag: 0,
    body: Buffer.from(String(half.queueOffset), 'utf8'),
    properties: { [MessageConst.TAGS]: REMOVE_TAG, [MessageConst.WAIT]: 'false' },
    sysFlag: MessageSysFlag.TRANSACTION_NOT_TYPE,
    bornTimestamp: Date.now(),
    bornHost: template.storeHost,
    storeTimestamp: 0,
    storeHost: template.storeHost,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    queueOffset: 0,
    commitLogOffset: 0,
  };
}

/** The half queue offset an op message resolves; undefined for anything that is not an op. */
export function halfOffsetOfOp(op: MessageRecord): number | undefined {
  if (op.properties[MessageConst.TAGS] !== REMOVE_TAG) return undefined;
  const text = op.body.toString('utf8');
  if (!/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** How many times the producer group has been asked about this half message so far. */
export function checkTimesOf(half: MessageRecord): number {
  const times = Number(half.properties[MessageConst.TRANSACTION_CHECK_TIMES] ?? 0);
  return Number.isInteger(times) && times > 0 ? times : 0;
}

/**
 * A copy of a half message for the end of the half queue (RocketMQ's `renewHalfMessageInner`):
 * same body, properties and born time, so its age keeps counting from the original send.
 */
export function toRenewedHalfMessage(half: MessageRecord, checkTimes: number): MessageRecord {
  return {
    ...half,
    properties: { ...half.properties, [MessageConst.TRANSACTION_CHECK_TIMES]: String(checkTimes) },
    queueOffset: 0,
    commitLogOffset: 0,
  };
}

/**
 * What a half message that nobody resolved becomes: a message in TRANS_CHECK_MAX_TIME_TOPIC, kept
 * for an operator to inspect (RocketMQ 4.6+). The real destination stays in REAL_TOPIC / REAL_QID.
 */
export function toDiscardedMessage(half: MessageRecord): MessageRecord {
  return {
    ...half,
    topic: TRANS_CHECK_MAX_TIME_TOPIC,
    queueId: 0,
    properties: { ...half.properties, [MessageConst.WAIT]: 'false' },
    queueOffset: 0,
    commitLogOffset: 0,
  };
}

/** The half message as the producer sent it: CHECK_TRANSACTION_STATE carries it in this form. */
export function withRealDestination(half: MessageRecord): MessageRecord {
  const real = realDestinationOf(half);
  return real ? { ...half, topic: real.topic, queueId: real.queueId } : half;
}
