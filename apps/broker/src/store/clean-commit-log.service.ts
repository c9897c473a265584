/**
 * CleanCommitLogService: retention of CommitLog segments.
 *
 * Interview question: "When does RocketMQ delete messages — after they are consumed?" — no: it
 * never tracks consumption for deletion. A whole segment is deleted once its last write is older
 * than fileReservedTime (72 h), at the quiet hour deleteWhen ("04"), or at any hour when the disk
 * is fuller than diskMaxUsedSpaceRatio (75 %); above diskSpaceCleanForciblyRatio (85 %) even
 * unexpired segments go, oldest first. The active segment is never deleted. Consumers that were
 * too slow find their offset below the new minimum (OFFSET_TOO_SMALL).
 */
import * as fs from 'node:fs';
import { type CommitLog } from './commit-log';
import { type MessageStoreConfig } from './message-store.config';
import { type StoreLogger } from './store-logger';

const HOUR_MS = 3600 * 1000;

/** Percentage of the file system holding `dir` that is in use. */
export function diskUsagePercent(dir: string): number {
  const stats = fs.statfsSync(dir);
  if (stats.blocks === 0) return 0;
  return ((stats.blocks - stats.bfree) / stats.blocks) * 100;
}

export class CleanCommitLogService {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly commitLog: CommitLog,
    private readonly afterDelete: () => void,
    private readonly logger: StoreLogger,
    private readonly diskUsage: () => number = () => diskUsagePercent(config.storePathRootDir),
  ) {}

  start(): void {
    this.timer = setInterval(() => this.run(Date.now()), this.config.cleanResourceInterval);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The periodic check: deletes only at deleteWhen or when the disk is filling up. */
  run(now: number): number {
    const usage = this.diskUsage();
    const forced = usage > this.config.diskSpaceCleanForciblyRatio;
    const diskFull = usage > this.config.diskMaxUsedSpaceRatio;
    if (!forced && !diskFull && !this.isTimeToDelete(now)) return 0;
    if (diskFull) this.logger.warn(`disk usage ${usage.toFixed(1)}% is above the limit, cleaning`);
    const deleted = this.deleteExpiredFiles(now, forced);
    if (deleted > 0) this.afterDelete();
    return deleted;
  }

  /**
   * Deletes expired segments now, whatever the hour (RocketMQ's manual delete). The caller cleans
   * the ConsumeQueues and IndexFiles afterwards.
   */
  deleteExpiredFiles(now: number, force = false): number {
    const reservedMs = this.config.fileReservedTime * HOUR_MS;
    const deleted = this.commitLog.deleteExpiredFiles(
      (file) => force || now - file.lastModifiedMs() >= reservedMs,
      this.config.deleteFileBatchMax,
    );
    if (deleted > 0) {
      this.logger.info(
        `deleted ${deleted} commit log segment(s); min offset is now ${this.commitLog.getMinOffset()}`,
      );
    }
    return deleted;
  }

  private isTimeToDelete(now: number): boolean {
    const hour = new Date(now).getHours();
    return this.config.deleteWhen.split(';').some((h) => h.trim() !== '' && Number(h) === hour);
  }
}
