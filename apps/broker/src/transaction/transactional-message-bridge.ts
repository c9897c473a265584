/**
 * TransactionalMessageBridge: the transaction machinery's only door to the message store, the topic
 * table and the consumer offsets (RocketMQ's class of the same name).
 *
 *   half queue  RMQ_SYS_TRANS_HALF_TOPIC    queue 0   every half message (and every renewed copy)
 *   op queue    RMQ_SYS_TRANS_OP_HALF_TOPIC queue 0   one op ("d", body = half queue offset) per outcome
 *   progress    consumer offsets of group CID_RMQ_SYS_TRANS on both queues
 *
 * Interview question: "RocketMQ 的事务消息如何实现的？(How are transactional messages implemented?)"
 * — with nothing but ordinary queues: the broker reads its own half and op queues like a consumer
 * would, with its own consumer group, so transactions survive restarts without a separate database.
 */
import { decodeStoredMessage, type MessageRecord } from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager';
import { type MessageStore, type PutMessageResult, PutMessageStatus } from '../store';
import { READ_WRITE } from '../topic/perm-name';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import {
  HALF_QUEUE_ID,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TRANS_CHECK_GROUP,
  TRANS_CHECK_MAX_TIME_TOPIC,
  toDiscardedMessage,
  toOpMessage,
} from './transactional-message-util';

export type TransactionStore = Pick<
  MessageStore,
  | 'putMessage'
  | 'getMessage'
  | 'getMaxOffsetInQueue'
  | 'getMinOffsetInQueue'
  | 'lookMessageByOffset'
  | 'isRunning'
  | 'whenDispatched'
  | 'config'
>;

export interface QueueSlice {
  /** Decoded records in queue order; each carries its own queueOffset and commitLogOffset. */
  messages: MessageRecord[];
  /** Where the next read should start (past the slice, or past a gap left by retention). */
  nextBeginOffset: number;
}

export interface TransactionalMessageBridgeDeps {
  store: TransactionStore;
  topicConfigManager: Pick<TopicConfigManager, 'selectTopicConfig' | 'createTopicInSendMessageBackMethod'>;
  consumerOffsetManager: Pick<ConsumerOffsetManager, 'queryOffset' | 'commitOffset'>;
  logger: BrokerLogger;
}

/** The commit-log host recorded as the "client" of the broker's own offset commits. */
const SELF = 'broker';

export class TransactionalMessageBridge {
  constructor(private readonly deps: TransactionalMessageBridgeDeps) {}

  get storeHost(): MessageRecord['storeHost'] {
    return this.deps.store.config.storeHost;
  }

  /** Hours a CommitLog segment is kept: a half message older than that is about to disappear. */
  get fileReservedTimeMillis(): number {
    return this.deps.store.config.fileReservedTime * 3_600_000;
  }

  get isRunning(): boolean {
    return this.deps.store.isRunning;
  }

  // ---- reading ----------------------------------------------------------------------------------

  /** Resolves once every message appended so far can be read through its queue. */
  whenDispatched(): Promise<void> {
    return this.deps.store.whenDispatched();
  }

  lookMessageByOffset(commitLogOffset: number): MessageRecord | undefined {
    return this.deps.store.lookMessageByOffset(commitLogOffset);
  }

  halfMaxOffset(): number {
    return this.deps.store.getMaxOffsetInQueue(RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID);
  }

  opMaxOffset(): number {
    return this.deps.store.getMaxOffsetInQueue(RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID);
  }

  readHalfMessages(offset: number, max: number): QueueSlice {
    return this.readQueue(RMQ_SYS_TRANS_HALF_TOPIC, offset, max);
  }

  readOpMessages(offset: number, max: number): QueueSlice {
    return this.readQueue(RMQ_SYS_TRANS_OP_HALF_TOPIC, offset, max);
  }

  private readQueue(topic: string, offset: number, max: number): QueueSlice {
    const result = this.deps.store.getMessage(TRANS_CHECK_GROUP, topic, HALF_QUEUE_ID, offset, max);
    const messages: MessageRecord[] = [];
    for (const raw of result.messages) {
      const decoded = decodeStoredMessage(raw, 0);
      if (decoded.status === 'OK') messages.push(decoded.message);
    }
    // An empty or missing queue answers nextBeginOffset 0; never move backwards because of that.
    return { messages, nextBeginOffset: Math.max(offset, result.nextBeginOffset) };
  }

  // ---- progress (consumer offsets of CID_RMQ_SYS_TRANS) -----------------------------------------

  /** First half queue offset the check service has not dealt with yet. */
  halfProgress(): number {
    return this.progressOf(RMQ_SYS_TRANS_HALF_TOPIC);
  }

  /** First op queue offset whose half message may still be ahead of the half progress. */
  opProgress(): number {
    return this.progressOf(RMQ_SYS_TRANS_OP_HALF_TOPIC);
  }

  updateHalfProgress(offset: number): void {
    this.deps.consumerOffsetManager.commitOffset(
      SELF,
      TRANS_CHECK_GROUP,
      RMQ_SYS_TRANS_HALF_TOPIC,
      HALF_QUEUE_ID,
      offset,
    );
  }

  updateOpProgress(offset: number): void {
    this.deps.consumerOffsetManager.commitOffset(
      SELF,
      TRANS_CHECK_GROUP,
      RMQ_SYS_TRANS_OP_HALF_TOPIC,
      HALF_QUEUE_ID,
      offset,
    );
  }

  private progressOf(topic: string): number {
    const committed = this.deps.consumerOffsetManager.queryOffset(TRANS_CHECK_GROUP, topic, HALF_QUEUE_ID);
    const min = this.deps.store.getMinOffsetInQueue(topic, HALF_QUEUE_ID);
    // Never committed yet, or retention removed what the committed offset points at.
    return committed < min ? min : committed;
  }

  // ---- writing ----------------------------------------------------------------------------------

  /** Appends a (renewed) half message to the end of the half queue. */
  putHalfMessage(half: MessageRecord): Promise<PutMessageResult> {
    this.ensureTopic(RMQ_SYS_TRANS_HALF_TOPIC);
    return this.deps.store.putMessage(half);
  }

  /** The committed message, into its real topic and queue. */
  putCommittedMessage(message: MessageRecord): Promise<PutMessageResult> {
    return this.deps.store.putMessage(message);
  }

  /** Records that `half` is resolved (commit or rollback); false if the op could not be stored. */
  async putOpMessage(half: MessageRecord): Promise<boolean> {
    this.ensureTopic(RMQ_SYS_TRANS_OP_HALF_TOPIC);
    const result = await this.deps.store.putMessage(toOpMessage(half, { storeHost: this.storeHost }));
    if (isStored(result)) return true;
    this.deps.logger.error('could not store the op message of a half message', {
      halfQueueOffset: half.queueOffset,
      status: result.status,
    });
    return false;
  }

  /** Moves a half message nobody resolved to TRANS_CHECK_MAX_TIME_TOPIC. */
  async putDiscardedMessage(half: MessageRecord): Promise<boolean> {
    this.ensureTopic(TRANS_CHECK_MAX_TIME_TOPIC);
    return isStored(await this.deps.store.putMessage(toDiscardedMessage(half)));
  }

  /**
   * RocketMQ creates its transaction topics on first use (1 queue, read and write), so they show up
   * in routes and admin tools like any other topic.
   */
  private ensureTopic(topic: string): void {
    const topics = this.deps.topicConfigManager;
    if (topics.selectTopicConfig(topic)) return;
    topics.createTopicInSendMessageBackMethod(topic, 1, READ_WRITE, 0);
  }
}

export function isStored(result: PutMessageResult): boolean {
  return (
    result.appendResult !== undefined &&
    (result.status === PutMessageStatus.PUT_OK ||
      result.status === PutMessageStatus.FLUSH_DISK_TIMEOUT ||
      result.status === PutMessageStatus.FLUSH_SLAVE_TIMEOUT ||
      result.status === PutMessageStatus.SLAVE_NOT_AVAILABLE)
  );
}
