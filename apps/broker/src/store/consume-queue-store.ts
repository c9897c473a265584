/**
 * The table of all ConsumeQueues (RocketMQ's `consumeQueueTable`), laid out on disk as
 * consumequeue/<topic>/<queueId>/<segment files>. Creates a queue the first time a message for it
 * is dispatched, and runs the per-queue recovery, flush and retention steps over all of them.
 */
import * as fs from 'node:fs';
import { ChunkCache } from './chunk-cache';
import { ConsumeQueue } from './consume-queue';
import { type MessageStoreConfig } from './message-store.config';
import { StorePaths } from './store-file-names';
import { type StoreLogger } from './store-logger';

export class ConsumeQueueStore {
  private readonly table = new Map<string, Map<number, ConsumeQueue>>();
  private readonly cache: ChunkCache;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly logger: StoreLogger,
  ) {
    this.cache = new ChunkCache(config.consumeQueueCacheBytes);
  }

  load(): void {
    const root = StorePaths.consumeQueueRoot(this.config.storePathRootDir);
    fs.mkdirSync(root, { recursive: true });
    for (const topic of fs.readdirSync(root, { withFileTypes: true })) {
      if (!topic.isDirectory()) continue;
      for (const name of fs.readdirSync(`${root}/${topic.name}`)) {
        const queueId = Number(name);
        if (!Number.isInteger(queueId) || String(queueId) !== name) continue;
        this.create(topic.name, queueId).load();
      }
    }
  }

  find(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.table.get(topic)?.get(queueId);
  }

  findOrCreate(topic: string, queueId: number): ConsumeQueue {
    return this.find(topic, queueId) ?? this.create(topic, queueId);
  }

  private create(topic: string, queueId: number): ConsumeQueue {
    let queues = this.table.get(topic);
    if (!queues) {
      queues = new Map();
      this.table.set(topic, queues);
    }
    const queue = new ConsumeQueue(
      topic,
      queueId,
      StorePaths.consumeQueue(this.config.storePathRootDir, topic, queueId),
      this.config.mappedFileSizeConsumeQueue,
      this.cache,
      this.logger,
    );
    queues.set(queueId, queue);
    return queue;
  }

  all(): ConsumeQueue[] {
    const result: ConsumeQueue[] = [];
    for (const queues of this.table.values()) result.push(...queues.values());
    return result;
  }

  /** Topic → queue ids that have a ConsumeQueue. */
  topics(): Map<string, number[]> {
    const result = new Map<string, number[]>();
    for (const [topic, queues] of this.table)
      result.set(
        topic,
        [...queues.keys()].sort((a, b) => a - b),
      );
    return result;
  }

  /** The CommitLog offset up to which some queue has entries (where dispatching had got to). */
  maxPhysicOffset(): number | undefined {
    let max: number | undefined;
    for (const queue of this.all()) {
      if (queue.maxPhysicOffset >= 0 && (max === undefined || queue.maxPhysicOffset > max)) {
        max = queue.maxPhysicOffset;
      }
    }
    return max;
  }

  truncateDirty(validPhysicalEnd: number): void {
    for (const queue of this.all()) queue.truncateDirtyLogicFiles(validPhysicalEnd);
  }

  correctMinOffset(minPhysicalOffset: number): void {
    for (const queue of this.all()) queue.correctMinOffset(minPhysicalOffset);
  }

  deleteExpired(minPhysicalOffset: number): number {
    let deleted = 0;
    for (const queue of this.all()) {
      deleted += queue.deleteExpiredFile(minPhysicalOffset);
      queue.correctMinOffset(minPhysicalOffset);
    }
    return deleted;
  }

  async flushAll(): Promise<void> {
    for (const queue of this.all()) {
      if (queue.hasDirtyData()) await queue.flush();
    }
    this.cache.trim();
  }

  close(): void {
    for (const queue of this.all()) queue.close();
  }
}
