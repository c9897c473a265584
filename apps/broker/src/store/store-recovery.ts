/**
 * Recovery on open: make the CommitLog, the ConsumeQueues and the IndexFiles agree again.
 *
 * Interview question: "How does RocketMQ recover after kill -9 or a power cut?" —
 *  1. Validate the log from a point known to be good and cut the torn tail: from the start of the
 *     segment holding the checkpoint's flushed offset (everything before it was fsynced; a segment
 *     start is always a record boundary), checking every record's magic, size, offset and — with
 *     checkCRCOnRecover — body CRC; the first bad record and everything after it are cut (zeroed).
 *     Without a checkpoint: the 3rd-from-last segment after a clean shutdown, the first segment
 *     after a crash. (RocketMQ picks the segment by comparing store timestamps with the
 *     checkpoint; with our exact offsets the choice is simpler and equally safe.)
 *  2. Drop ConsumeQueue and IndexFile entries that point past the valid end.
 *  3. Re-dispatch the log from the lowest offset whose derived data might be missing: the highest
 *     offset any ConsumeQueue covers, the IndexFile's last dispatched offset, and the checkpoint's
 *     logicsDispatchedOffset — whichever is smallest. Dispatch is idempotent (existing entries are
 *     skipped), so starting too early only costs time.
 */
import { type CommitLog } from './commit-log';
import { type ConsumeQueueStore } from './consume-queue-store';
import { type IndexService } from './index-service';
import { type MessageStoreConfig } from './message-store.config';
import { type StoreCheckpoint } from './store-checkpoint';
import { type StoreLogger } from './store-logger';

export interface RecoveryParts {
  config: MessageStoreConfig;
  commitLog: CommitLog;
  consumeQueues: ConsumeQueueStore;
  index: IndexService;
  checkpoint: StoreCheckpoint;
  logger: StoreLogger;
}

export interface RecoveryOutcome {
  /** The CommitLog ends here after the torn tail was cut. */
  validEnd: number;
  /** Reput starts here. */
  reputFrom: number;
}

export function recoverStore(parts: RecoveryParts, abnormal: boolean): RecoveryOutcome {
  const { commitLog, consumeQueues, index, checkpoint, config, logger } = parts;
  const fromFile = scanStartFileIndex(commitLog, checkpoint, abnormal);
  logger.info(
    `recovering ${abnormal ? 'after a crash' : 'after a clean shutdown'} from segment #${fromFile}`,
  );
  const validEnd = commitLog.recover(fromFile, config.checkCRCOnRecover);

  consumeQueues.truncateDirty(validEnd);
  const indexRedoFrom = index.truncatePast(validEnd);
  const minOffset = commitLog.getMinOffset();
  consumeQueues.correctMinOffset(minOffset);

  const candidates = [
    consumeQueues.maxPhysicOffset() ?? minOffset,
    checkpoint.existed ? checkpoint.logicsDispatchedOffset : minOffset,
  ];
  if (config.messageIndexEnable) candidates.push(indexRedoFrom ?? minOffset);
  const reputFrom = Math.min(validEnd, Math.max(minOffset, Math.min(...candidates)));
  logger.info(`log valid up to ${validEnd}; re-dispatching from ${reputFrom}`);
  return { validEnd, reputFrom };
}

function scanStartFileIndex(commitLog: CommitLog, checkpoint: StoreCheckpoint, abnormal: boolean): number {
  const files = commitLog.queue.mappedFiles;
  if (files.length === 0) return 0;
  if (checkpoint.existed) {
    const flushed = checkpoint.physicFlushedOffset;
    const index = files.findIndex(
      (f) => flushed >= f.fileFromOffset && flushed < f.fileFromOffset + f.fileSize,
    );
    if (index >= 0) return index;
    const last = files[files.length - 1];
    if (flushed === last.fileFromOffset + last.fileSize) return files.length - 1;
  }
  return abnormal ? 0 : Math.max(0, files.length - 3);
}
