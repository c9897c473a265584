/**
 * FlushRealTimeService (with RocketMQ's CommitRealTimeService folded in): the ASYNC_FLUSH path.
 *
 * Interview question: "What can you lose with ASYNC_FLUSH?" — a put is acknowledged once its record
 * is in memory. New bytes are written to the segment file as soon as the JavaScript thread is idle
 * (coalescing every record appended meanwhile into one write), so a crash of the broker process
 * loses nothing that was written; but the fsync happens only every flushIntervalCommitLog (500 ms),
 * so a power failure can lose the last half second.
 */
import { type MappedFileQueue } from './mapped-file-queue';
import { type StoreLogger } from './store-logger';

export class FlushRealTimeService {
  private commitScheduled = false;
  private committing = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly log: MappedFileQueue,
    private readonly flushInterval: number,
    private readonly logger: StoreLogger,
    private readonly onFlushed: () => void = () => undefined,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flushNow(), this.flushInterval);
    this.timer.unref();
  }

  /** Called after every append: commit as soon as the current burst of puts yields. */
  wakeup(): void {
    if (this.commitScheduled || this.committing || this.stopped) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.commitScheduled = false;
      void this.commitLoop();
    });
  }

  private async commitLoop(): Promise<void> {
    this.committing = true;
    try {
      while (this.log.hasUncommitted()) await this.log.commit();
    } catch (err) {
      this.logger.error(`commit log commit failed: ${String(err)}`);
    } finally {
      this.committing = false;
    }
  }

  private async flushNow(): Promise<void> {
    try {
      if (await this.log.flush()) this.onFlushed();
    } catch (err) {
      this.logger.error(`commit log flush failed: ${String(err)}`);
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.log.commit();
    await this.log.flush();
    this.onFlushed();
  }
}
