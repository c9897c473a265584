/**
 * FlushConsumeQueueService: persists what reput derived — ConsumeQueues, the IndexFile — and then
 * the checkpoint, every flushIntervalConsumeQueue (1 s).
 *
 * Interview question: "Why may ConsumeQueues be flushed lazily when the CommitLog is not?" —
 * because they are derived data: after a crash the store re-dispatches the log from the offset
 * this service last recorded in the checkpoint, rebuilding whatever was not on disk.
 */
import { type ConsumeQueueStore } from './consume-queue-store';
import { type IndexService } from './index-service';
import { type ReputMessageService } from './reput-message.service';
import { type StoreCheckpoint } from './store-checkpoint';
import { type StoreLogger } from './store-logger';

export class FlushConsumeQueueService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly consumeQueues: ConsumeQueueStore,
    private readonly index: IndexService,
    private readonly reput: ReputMessageService,
    private readonly checkpoint: StoreCheckpoint,
    private readonly interval: number,
    private readonly logger: StoreLogger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.interval);
    this.timer.unref();
  }

  /** One persist pass; concurrent callers share the pass in flight. */
  flush(): Promise<void> {
    this.running ??= this.doFlush().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async doFlush(): Promise<void> {
    // Snapshot first: every entry for records below this offset is in memory now, so it is on
    // disk once the flushes below complete.
    const dispatchedOffset = this.reput.reputFromOffset;
    const dispatchedTimestamp = this.reput.lastDispatchedStoreTimestamp;
    try {
      await this.consumeQueues.flushAll();
      await this.index.persist();
      this.checkpoint.logicsDispatchedOffset = dispatchedOffset;
      if (dispatchedTimestamp > 0) {
        this.checkpoint.logicsMsgTimestamp = dispatchedTimestamp;
        this.checkpoint.indexMsgTimestamp = dispatchedTimestamp;
      }
      await this.checkpoint.flush();
    } catch (err) {
      this.logger.error(`consume queue flush failed: ${String(err)}`);
      throw err;
    }
  }

  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.running) await this.running.catch(() => undefined);
    await this.flush();
  }
}
