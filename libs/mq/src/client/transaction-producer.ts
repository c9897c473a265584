/**
 * The transactional producer (`TransactionMQProducer`): half message, local transaction,
 * END_TRANSACTION — and the answer to the broker's CHECK_TRANSACTION_STATE.
 *
 * Interview question: "RocketMQ 是如何实现事务消息的？" (How does RocketMQ implement transactional
 * messages?) —
 * 1. send the message with TRAN_MSG=true, PGROUP=<group> and sysFlag TRANSACTION_PREPARED: the broker
 *    stores it as a half message in RMQ_SYS_TRANS_HALF_TOPIC, invisible to consumers;
 * 2. run the local transaction (only after the half message is safely stored — so a committed local
 *    transaction always has its message);
 * 3. END_TRANSACTION oneway: 8 = commit (the broker writes the real message), 12 = rollback, 0 = unknown;
 * 4. a half message with no outcome after `transactionTimeOut` is checked back: the broker sends
 *    CHECK_TRANSACTION_STATE to a live producer of PGROUP (any instance, which is why the group is in
 *    every heartbeat), which answers with END_TRANSACTION fromTransactionCheck=true; after
 *    `transactionCheckMax` (15) unanswered checks the message is discarded.
 */
import {
  MessageConst,
  MessageSysFlag,
  TransactionCommitType,
  decodeOffsetMessageId,
  type CheckTransactionStateRequestHeader,
  type MessageRecord,
} from '../protocol';
import { MQClientError, errorMessage } from './client-errors';
import { type MessageExt, type Message, type SendResult } from './message';
import { toMessageExt } from './message-encoding';
import { DEFAULT_TOPIC, type ProducerHandle } from './mq-client-instance';
import { Producer, type ProducerOptions } from './producer';
import {
  LOCAL_TRANSACTION_STATES,
  type LocalTransactionState,
  type TransactionListener,
} from './transaction-listener';

export interface TransactionProducerOptions extends ProducerOptions {
  /** Answers executeLocalTransaction and the broker's check-backs (may also be set with setTransactionListener). */
  transactionListener?: TransactionListener<never>;
}

export interface TransactionSendResult {
  /** The half message's send result (its msgId is the transaction id). */
  sendResult: SendResult;
  localTransactionState: LocalTransactionState;
  transactionId: string;
}

const COMMIT_OR_ROLLBACK: Readonly<Record<LocalTransactionState, number>> = {
  COMMIT_MESSAGE: TransactionCommitType.COMMIT,
  ROLLBACK_MESSAGE: TransactionCommitType.ROLLBACK,
  UNKNOW: TransactionCommitType.NOT_TYPE,
};

export class TransactionProducer extends Producer {
  private listener: TransactionListener<never> | undefined;
  private readonly pendingChecks = new Set<Promise<void>>();

  constructor(options: TransactionProducerOptions) {
    super(options);
    this.listener = options.transactionListener;
  }

  setTransactionListener<Arg>(listener: TransactionListener<Arg>): void {
    this.listener = listener as TransactionListener<never>;
  }

  /**
   * Starts like a Producer, then makes the group known to every broker at once (heartbeat): a producer
   * that only answers check-backs may never send, and the broker only checks back through channels
   * whose heartbeat named the group. Brokers are learnt from TBW102's route, as Java's producer does.
   */
  override async start(): Promise<void> {
    if (this.listener === undefined) {
      throw new MQClientError('ILLEGAL_ARGUMENT', 'a TransactionProducer needs a transactionListener');
    }
    await super.start();
    const instance = this.clientInstance();
    await instance.updateTopicRoute(DEFAULT_TOPIC).catch((error: unknown) => {
      instance.logger.debug(`no ${DEFAULT_TOPIC} route: ${errorMessage(error)}`);
    });
    await instance.sendHeartbeatToAllBrokers();
  }

  /** Waits for check-backs in progress, then leaves the group like a Producer. */
  override async shutdown(): Promise<void> {
    await Promise.all(this.pendingChecks);
    await super.shutdown();
  }

  /**
   * Sends `message` as a half message, runs the listener's executeLocalTransaction with `arg`, and
   * reports the outcome to the broker. A send that is not SEND_OK is rolled back without running the
   * local transaction; a send that fails throws (nothing was stored, nothing to roll back).
   */
  async sendMessageInTransaction<Arg>(message: Message, arg: Arg): Promise<TransactionSendResult> {
    const listener = this.listener as TransactionListener<Arg> | undefined;
    if (listener === undefined) throw new MQClientError('ILLEGAL_ARGUMENT', 'no transactionListener');
    // Java clears a delay level: the broker would park the half message in SCHEDULE_TOPIC_XXXX.
    const { delayTimeLevel: _ignored, ...rest } = message;
    const half: Message = {
      ...rest,
      properties: {
        ...message.properties,
        [MessageConst.TRAN_MSG]: 'true',
        [MessageConst.PGROUP]: this.producerGroup,
      },
    };
    const sendResult = await this.sendWithSysFlag(half, MessageSysFlag.TRANSACTION_PREPARED_TYPE);
    const transactionId = sendResult.msgId;
    let state: LocalTransactionState = 'UNKNOW';
    let failure: unknown;
    if (sendResult.sendStatus === 'SEND_OK') {
      try {
        state = normalizeState(await listener.executeLocalTransaction({ ...message, transactionId }, arg));
      } catch (error) {
        failure = error;
        state = 'UNKNOW';
        this.clientInstance().logger.warn(
          `executeLocalTransaction of ${transactionId} failed, leaving it to the check-back: ${errorMessage(error)}`,
        );
      }
    } else {
      state = 'ROLLBACK_MESSAGE';
    }
    await this.endTransaction(sendResult, state, failure);
    return { sendResult, localTransactionState: state, transactionId };
  }

  // --- internals ---------------------------------------------------------------------------------------

  protected override producerHandle(): ProducerHandle {
    const handle = super.producerHandle();
    return {
      group: handle.group,
      // TBW102 keeps the broker addresses known even before this producer sends anything.
      publishedTopics: () => [...handle.publishedTopics(), DEFAULT_TOPIC],
      checkTransactionState: (header, record, brokerAddr) => {
        const check = this.checkTransactionState(header, record, brokerAddr)
          .catch(() => undefined) // a check arriving after shutdown: the broker will ask someone else
          .finally(() => this.pendingChecks.delete(check));
        this.pendingChecks.add(check);
      },
    };
  }

  /** END_TRANSACTION for our own half message; a lost oneway is repaired by the check-back. */
  private async endTransaction(
    sendResult: SendResult,
    state: LocalTransactionState,
    failure: unknown,
  ): Promise<void> {
    const instance = this.clientInstance();
    try {
      const { commitLogOffset } = decodeOffsetMessageId(sendResult.offsetMsgId || sendResult.msgId);
      const brokerName = sendResult.messageQueue.brokerName;
      const addr = await instance.findBrokerAddr(brokerName, sendResult.messageQueue.topic);
      await instance.api.endTransactionOneway(
        addr,
        {
          producerGroup: this.producerGroup,
          tranStateTableOffset: sendResult.queueOffset,
          commitLogOffset,
          commitOrRollback: COMMIT_OR_ROLLBACK[state],
          fromTransactionCheck: false,
          msgId: sendResult.msgId,
          transactionId: sendResult.msgId,
        },
        failure === undefined ? undefined : `executeLocalTransaction failed: ${errorMessage(failure)}`,
      );
    } catch (error) {
      instance.logger.warn(
        `END_TRANSACTION ${state} of ${sendResult.msgId} not sent, the broker will check back: ${errorMessage(error)}`,
      );
    }
  }

  /** CHECK_TRANSACTION_STATE: ask the listener, answer the broker that asked (offsets from its header). */
  private async checkTransactionState(
    header: CheckTransactionStateRequestHeader,
    record: MessageRecord,
    brokerAddr: string,
  ): Promise<void> {
    const instance = this.clientInstance();
    const message: MessageExt = toMessageExt(record, header.bname ?? '');
    const uniqKey = message.properties[MessageConst.UNIQ_KEY] ?? header.msgId ?? message.msgId;
    let state: LocalTransactionState = 'UNKNOW';
    let failure: unknown;
    try {
      const listener = this.listener;
      if (listener !== undefined) state = normalizeState(await listener.checkLocalTransaction(message));
    } catch (error) {
      failure = error;
      instance.logger.warn(`checkLocalTransaction of ${uniqKey} failed: ${errorMessage(error)}`);
    }
    try {
      await instance.api.endTransactionOneway(
        brokerAddr,
        {
          producerGroup: this.producerGroup,
          tranStateTableOffset: header.tranStateTableOffset,
          commitLogOffset: header.commitLogOffset,
          commitOrRollback: COMMIT_OR_ROLLBACK[state],
          fromTransactionCheck: true,
          msgId: uniqKey,
          transactionId: header.transactionId ?? uniqKey,
        },
        failure === undefined ? undefined : `checkLocalTransaction failed: ${errorMessage(failure)}`,
      );
    } catch (error) {
      instance.logger.warn(`answering the check of ${uniqKey} failed: ${errorMessage(error)}`);
    }
  }
}

/** Anything but the three states (a listener bug) is treated as UNKNOW, so the broker asks again. */
function normalizeState(state: unknown): LocalTransactionState {
  return LOCAL_TRANSACTION_STATES.includes(state as LocalTransactionState)
    ? (state as LocalTransactionState)
    : 'UNKNOW';
}
