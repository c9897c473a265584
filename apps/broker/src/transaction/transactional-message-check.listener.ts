/**
 * What the check service does with a half message it has decided about (RocketMQ's
 * `AbstractTransactionalMessageCheckListener` and `DefaultTransactionalMessageCheckListener`):
 * ask the producer group (CHECK_TRANSACTION_STATE), or give up and park the message in
 * TRANS_CHECK_MAX_TIME_TOPIC.
 *
 * Interview question: "RocketMQ 主动回查本地事务状态——问谁？(The broker checks back the local
 * transaction state — whom does it ask?)" — any live connection of the producer group named in the
 * half message's PGROUP property, not necessarily the producer that sent it: that one may have
 * crashed. The request is oneway; the answer comes back as an ordinary END_TRANSACTION with
 * fromTransactionCheck=true.
 */
import {
  type CheckTransactionStateRequestHeader,
  createRequest,
  createOffsetMessageId,
  encodeStoredMessage,
  markOneway,
  MessageConst,
  type MessageRecord,
  RequestCode,
  toExtFields,
} from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { TransactionalMessageBridge } from './transactional-message-bridge';
import { checkTimesOf, realDestinationOf, withRealDestination } from './transactional-message-util';

export interface ProducerChannels {
  getAvailableChannel(group: string): RemotingChannel | undefined;
}

export interface TransactionalMessageCheckListenerDeps {
  bridge: TransactionalMessageBridge;
  producers: ProducerChannels;
  brokerName: string;
  logger: BrokerLogger;
}

export class TransactionalMessageCheckListener {
  constructor(private readonly deps: TransactionalMessageCheckListenerDeps) {}

  /**
   * Sends CHECK_TRANSACTION_STATE for `half` (already renewed: its offsets are the ones the producer
   * must quote back). False when no member of the group is connected — the check still counted.
   */
  resolveHalfMsg(half: MessageRecord): boolean {
    const { logger } = this.deps;
    const group = half.properties[MessageConst.PGROUP] ?? '';
    const fields = describe(half);
    const channel = this.deps.producers.getAvailableChannel(group);
    if (!channel) {
      logger.info('transaction check-back: no producer of the group is online; will ask again', fields);
      return false;
    }
    const sent = channel.write(this.checkRequest(half));
    logger.info(
      sent
        ? 'transaction check-back: asked the producer group for the outcome'
        : 'transaction check-back: the producer channel closed before the request went out',
      { ...fields, channel: channel.id },
    );
    return sent;
  }

  private checkRequest(half: MessageRecord) {
    const uniqKey = half.properties[MessageConst.UNIQ_KEY];
    const header: CheckTransactionStateRequestHeader = {
      tranStateTableOffset: half.queueOffset,
      commitLogOffset: half.commitLogOffset,
      msgId: uniqKey,
      transactionId: uniqKey,
      offsetMsgId: createOffsetMessageId(this.deps.bridge.storeHost, half.commitLogOffset),
      bname: this.deps.brokerName,
    };
    // The producer's checker sees the message it sent: real topic and queue, not the half topic.
    const body = encodeStoredMessage(withRealDestination(half));
    return markOneway(createRequest(RequestCode.CHECK_TRANSACTION_STATE, toExtFields(header), body));
  }

  /** Gives up on `half`: stored in TRANS_CHECK_MAX_TIME_TOPIC (when possible) and logged. */
  async resolveDiscardMsg(half: MessageRecord, why: string): Promise<void> {
    const parked = await this.deps.bridge.putDiscardedMessage(half);
    this.deps.logger.info(
      parked
        ? 'transaction discarded: half message moved to TRANS_CHECK_MAX_TIME_TOPIC'
        : 'transaction discarded: half message dropped (could not store it in TRANS_CHECK_MAX_TIME_TOPIC)',
      { ...describe(half), why },
    );
  }
}

/** The fields every transaction log line carries, so one grep follows one transaction. */
export function describe(half: MessageRecord): Record<string, unknown> {
  const real = realDestinationOf(half);
  return {
    uniqKey: half.properties[MessageConst.UNIQ_KEY],
    producerGroup: half.properties[MessageConst.PGROUP],
    realTopic: real?.topic,
    realQueueId: real?.queueId,
    halfQueueOffset: half.queueOffset,
    commitLogOffset: half.commitLogOffset,
    checkTimes: checkTimesOf(half),
  };
}
