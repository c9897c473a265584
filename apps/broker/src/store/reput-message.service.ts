/**
 * ReputMessageService: the dispatcher that follows the CommitLog and builds everything derived
 * from it — ConsumeQueue entries, IndexFile entries — then tells long-polling pulls that a queue
 * has grown.
 *
 * Interview question: "When does a message become visible to consumers, and why can ConsumeQueues
 * be lost without losing messages?" — a message is visible once reput has dispatched it, which
 * happens right after the append (before the fsync under ASYNC_FLUSH, as in RocketMQ). Everything
 * reput writes is derived from the log, so after a crash the store simply re-dispatches from the
 * last offset whose derived data was safely on disk.
 *
 * RocketMQ polls every 1 ms; here an append calls wakeup(), which schedules one dispatch pass with
 * setImmediate — after the current burst of puts, batching many records per pass. A pass reads the
 * log only (never the put path's state), so a slave that appends replicated bytes runs it unchanged.
 */
import { type CommitLog } from './commit-log';
import { type DispatchRequest, readDispatchRequest } from './dispatch-request';
import { type TagsCodeResolver } from './message-store.config';
import { type StoreLogger } from './store-logger';

export type CommitLogDispatcher = (request: DispatchRequest) => void;

/** Read this much of the log at a time. */
const READ_WINDOW = 1024 * 1024;
/** A pass yields to I/O after this many bytes, then continues in the next turn. */
const BYTES_PER_PASS = 8 * 1024 * 1024;

export class ReputMessageService {
  private scheduled = false;
  private stopped = false;
  private stalledAt = -1;
  private waiters: { offset: number; resolve: () => void }[] = [];
  /** Store time of the newest dispatched record (the checkpoint's logicsMsgTimestamp). */
  lastDispatchedStoreTimestamp = 0;

  constructor(
    private readonly commitLog: CommitLog,
    private readonly dispatchers: readonly CommitLogDispatcher[],
    public reputFromOffset: number,
    private readonly logger: StoreLogger,
    private readonly tagsCodeResolver?: TagsCodeResolver,
    private readonly maxRecordSize = 64 * 1024 * 1024,
  ) {}

  /** Bytes appended to the log but not yet dispatched. */
  behind(): number {
    return this.commitLog.getMaxOffset() - this.reputFromOffset;
  }

  wakeup(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.doReput(BYTES_PER_PASS);
      if (this.canProgress()) this.wakeup();
    });
  }

  /** Resolves once everything appended so far has been dispatched. */
  whenDispatched(): Promise<void> {
    const offset = this.commitLog.getMaxOffset();
    if (this.reputFromOffset >= offset) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ offset, resolve });
      this.wakeup();
    });
  }

  /** Dispatches synchronously up to the end of the log (startup, shutdown). */
  catchUp(): void {
    while (this.canProgress()) {
      if (this.doReput(Number.MAX_SAFE_INTEGER) === 0) break;
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private canProgress(): boolean {
    return (
      this.reputFromOffset < this.commitLog.getMaxOffset() && this.stalledAt !== this.commitLog.getMaxOffset()
    );
  }

  /** One pass over at most `budget` bytes; returns the bytes consumed. */
  private doReput(budget: number): number {
    const start = this.reputFromOffset;
    this.stalledAt = -1;
    while (this.reputFromOffset - start < budget && this.reputFromOffset < this.commitLog.getMaxOffset()) {
      if (!this.dispatchWindow()) {
        this.stalledAt = this.commitLog.getMaxOffset();
        break;
      }
    }
    this.releaseWaiters();
    return this.reputFromOffset - start;
  }

  /** Dispatches the records of one read window; false if no progress is possible right now. */
  private dispatchWindow(): boolean {
    if (this.reputFromOffset < this.commitLog.getMinOffset()) {
      this.logger.warn(`reput offset ${this.reputFromOffset} below the log start; skipping ahead`);
      this.reputFromOffset = this.commitLog.getMinOffset();
    }
    const window = this.commitLog.getData(this.reputFromOffset, READ_WINDOW);
    if (!window) return false;
    let pos = 0;
    while (pos < window.length) {
      const result = readDispatchRequest(window, pos, { tagsCodeResolver: this.tagsCodeResolver });
      if (result.status === 'MESSAGE') {
        this.dispatch(result.request);
        pos += result.size;
        this.reputFromOffset += result.size;
      } else if (result.status === 'BLANK') {
        this.reputFromOffset = this.commitLog.rollNextFile(this.reputFromOffset);
        return true;
      } else if (result.status === 'INCOMPLETE') {
        return pos > 0 || this.dispatchStraddling(window);
      } else {
        this.logger.error(`reput found an invalid record at ${this.reputFromOffset} (${result.reason})`);
        return false;
      }
    }
    return true;
  }

  /** The record at reputFromOffset runs past the window (a chunk boundary): read it whole. */
  private dispatchStraddling(window: Buffer): boolean {
    if (window.length < 4) return false;
    const size = window.readInt32BE(0);
    if (size <= window.length || size > this.maxRecordSize) return false;
    const record = this.commitLog.getMessage(this.reputFromOffset, size);
    if (!record) return false;
    const result = readDispatchRequest(record, 0, { tagsCodeResolver: this.tagsCodeResolver });
    if (result.status !== 'MESSAGE') return false;
    this.dispatch(result.request);
    this.reputFromOffset += result.size;
    return true;
  }

  private dispatch(request: DispatchRequest): void {
    for (const dispatcher of this.dispatchers) dispatcher(request);
    this.lastDispatchedStoreTimestamp = request.storeTimestamp;
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const remaining = [];
    for (const waiter of this.waiters) {
      if (this.reputFromOffset >= waiter.offset) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }
}
