/**
 * GroupCommitService: SYNC_FLUSH without one fsync per message.
 *
 * Interview question: "How can SYNC_FLUSH still do tens of thousands of messages per second?" —
 * group commit. A put under SYNC_FLUSH waits until the log is fsynced past its record. While one
 * write+fsync round is in flight, new requests only queue; when the round ends, the next round
 * writes everything appended so far and one fsync acknowledges all of them at once. The more
 * producers wait, the more each fsync is shared.
 *
 * Every request carries a deadline (syncFlushTimeout); a request not served in time resolves
 * false, and the put answers FLUSH_DISK_TIMEOUT — the message is stored all the same. Requests
 * are served and expired strictly in order (appends and deadlines both grow), so one timer for the
 * oldest request suffices.
 */
import { type MappedFileQueue } from './mapped-file-queue';
import { type StoreLogger } from './store-logger';

interface GroupCommitRequest {
  /** The log must be flushed up to here (end offset of the record). */
  nextOffset: number;
  deadline: number;
  resolve: (flushed: boolean) => void;
}

export class GroupCommitService {
  private readonly requests: GroupCommitRequest[] = [];
  private head = 0;
  private roundScheduled = false;
  private roundRunning = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Number of write+fsync rounds, and of requests they acknowledged. */
  rounds = 0;
  acknowledged = 0;

  constructor(
    private readonly log: MappedFileQueue,
    private readonly syncFlushTimeout: number,
    private readonly logger: StoreLogger,
    private readonly onFlushed: () => void = () => undefined,
  ) {}

  /** Resolves true once the log is fsynced up to `nextOffset`, false on timeout. */
  request(nextOffset: number): Promise<boolean> {
    if (this.log.flushedWhere >= nextOffset) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      this.requests.push({ nextOffset, deadline: Date.now() + this.syncFlushTimeout, resolve });
      this.armTimer();
      this.wakeup();
    });
  }

  /** Starts a round soon; also used for WAIT=false puts, which do not wait for it. */
  wakeup(): void {
    if (this.roundScheduled || this.roundRunning || this.stopped) return;
    this.roundScheduled = true;
    // setImmediate lets every put issued in this tick join the first round.
    setImmediate(() => {
      this.roundScheduled = false;
      void this.runRounds();
    });
  }

  private async runRounds(): Promise<void> {
    if (this.roundRunning) return;
    this.roundRunning = true;
    try {
      while (this.log.hasUncommitted() || this.log.flushedWhere < this.log.committedWhere) {
        await this.log.commit();
        await this.log.flush();
        this.rounds++;
        this.completeFlushed();
        this.onFlushed();
      }
    } catch (err) {
      // Waiters stay queued (and time out if the disk stays broken); retry shortly.
      this.logger.error(`group commit failed: ${String(err)}`);
      if (!this.stopped) setTimeout(() => this.wakeup(), 100).unref();
    } finally {
      this.roundRunning = false;
    }
  }

  private completeFlushed(): void {
    const flushed = this.log.flushedWhere;
    while (this.head < this.requests.length && this.requests[this.head].nextOffset <= flushed) {
      this.requests[this.head++].resolve(true);
      this.acknowledged++;
    }
    this.compact();
  }

  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    while (this.head < this.requests.length && this.requests[this.head].deadline <= now) {
      const request = this.requests[this.head++];
      this.logger.warn(`sync flush of offset ${request.nextOffset} timed out`);
      request.resolve(false);
    }
    this.compact();
    this.armTimer();
  }

  private armTimer(): void {
    if (this.timer || this.head >= this.requests.length) return;
    const delay = Math.max(0, this.requests[this.head].deadline - Date.now());
    this.timer = setTimeout(() => this.expire(), delay);
    this.timer.unref();
  }

  private compact(): void {
    if (this.head === this.requests.length) {
      this.requests.length = 0;
      this.head = 0;
    } else if (this.head > 4096) {
      this.requests.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Flushes what is left, answers every waiter, stops. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    while (this.roundRunning) await new Promise((resolve) => setImmediate(resolve));
    await this.log.commit();
    await this.log.flush();
    this.completeFlushed();
    while (this.head < this.requests.length) this.requests[this.head++].resolve(false);
    this.compact();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
