/**
 * Offsets of a clustering consumer group, kept on the broker (`RemoteBrokerOffsetStore`).
 *
 * Interview question: "Where is consumption progress stored, and how often?" — on the broker that
 * hosts the queue, per (group, topic, queueId). The consumer keeps the latest value in memory, sends it
 * with each pull (COMMIT_OFFSET flag) and persists every owned queue with UPDATE_CONSUMER_OFFSET every
 * 5 s, on shutdown and when a rebalance takes a queue away, so the next owner resumes there.
 */
import { errorMessage } from './client-errors';
import { type MessageQueue, messageQueueKey } from './message';
import { type MQClientInstance } from './mq-client-instance';
import { OFFSET_NOT_FOUND, OFFSET_READ_FAILED, type OffsetStore, type ReadOffsetType } from './offset-store';

interface OffsetEntry {
  mq: MessageQueue;
  offset: number;
  /** The value the broker last acknowledged; -1 = never written by us. */
  persisted: number;
}

export class RemoteBrokerOffsetStore implements OffsetStore {
  private readonly table = new Map<string, OffsetEntry>();

  constructor(
    private readonly instance: MQClientInstance,
    private readonly group: string,
  ) {}

  async load(): Promise<void> {
    // Nothing local to load: the broker is the store.
  }

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const key = messageQueueKey(mq);
    const entry = this.table.get(key);
    if (entry === undefined) {
      this.table.set(key, { mq, offset, persisted: -1 });
      return;
    }
    if (increaseOnly && offset <= entry.offset) return;
    entry.offset = offset;
  }

  memoryOffset(mq: MessageQueue): number {
    return this.table.get(messageQueueKey(mq))?.offset ?? -1;
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== 'STORE') {
      const memory = this.memoryOffset(mq);
      if (memory >= 0 || type === 'MEMORY') return memory;
    }
    try {
      const addr = await this.instance.findBrokerAddr(mq.brokerName, mq.topic, false);
      const offset = await this.instance.api.queryConsumerOffset(addr, this.group, mq.topic, mq.queueId);
      if (offset < 0) return OFFSET_NOT_FOUND;
      this.table.set(messageQueueKey(mq), { mq, offset, persisted: offset });
      return offset;
    } catch (error) {
      this.instance.logger.warn(`query offset of ${messageQueueKey(mq)} failed: ${errorMessage(error)}`);
      return OFFSET_READ_FAILED;
    }
  }

  async persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    await Promise.all(mqs.map((mq) => this.persist(mq)));
  }

  async persist(mq: MessageQueue): Promise<void> {
    const entry = this.table.get(messageQueueKey(mq));
    if (entry === undefined || entry.offset < 0 || entry.offset === entry.persisted) return;
    const offset = entry.offset;
    try {
      const addr = await this.instance.findBrokerAddr(mq.brokerName, mq.topic);
      await this.instance.api.updateConsumerOffset(addr, this.group, mq.topic, mq.queueId, offset);
      entry.persisted = Math.max(entry.persisted, offset);
    } catch (error) {
      this.instance.logger.warn(
        `persist offset ${offset} of ${messageQueueKey(mq)} failed: ${errorMessage(error)}`,
      );
    }
  }

  removeOffset(mq: MessageQueue): void {
    this.table.delete(messageQueueKey(mq));
  }
}
