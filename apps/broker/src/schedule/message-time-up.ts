/**
 * The delivery-side half shared by delayed and timer messages (RocketMQ's `messageTimeup`): when a
 * waiting message is due, a copy goes to the topic and queue named by REAL_TOPIC / REAL_QID, with
 * the same body, flag, sysFlag, born time, born host and reconsumeTimes. REAL_TOPIC and REAL_QID stay
 * on the copy (they tell the console where it came from); WAIT=false because nobody waits on a
 * broker-internal put.
 */
import { MessageConst, type MessageRecord } from '@flashsale/mq/protocol';
import { PutMessageStatus } from '../store';

/** The message to put into its real topic, or undefined if the record lost its destination. */
export function messageTimeUp(
  waiting: MessageRecord,
  removedProperties: readonly string[],
): MessageRecord | undefined {
  const realTopic = waiting.properties[MessageConst.REAL_TOPIC];
  const realQueueId = Number(waiting.properties[MessageConst.REAL_QID]);
  if (!realTopic || !Number.isInteger(realQueueId) || realQueueId < 0) return undefined;
  const properties = { ...waiting.properties };
  for (const name of removedProperties) delete properties[name];
  properties[MessageConst.WAIT] = 'false';
  return {
    topic: realTopic,
    queueId: realQueueId,
    flag: waiting.flag,
    // The decoded body is a view into store memory; the put must not depend on it staying put.
    body: Buffer.from(waiting.body),
    properties,
    sysFlag: waiting.sysFlag,
    bornTimestamp: waiting.bornTimestamp,
    bornHost: waiting.bornHost,
    storeTimestamp: 0,
    storeHost: waiting.storeHost,
    reconsumeTimes: waiting.reconsumeTimes,
    preparedTransactionOffset: waiting.preparedTransactionOffset,
    queueOffset: 0,
    commitLogOffset: 0,
  };
}

/** Statuses after which the record is in the CommitLog (a flush or slave timeout still stored it). */
export function isStored(status: PutMessageStatus): boolean {
  return (
    status === PutMessageStatus.PUT_OK ||
    status === PutMessageStatus.FLUSH_DISK_TIMEOUT ||
    status === PutMessageStatus.FLUSH_SLAVE_TIMEOUT ||
    status === PutMessageStatus.SLAVE_NOT_AVAILABLE
  );
}
