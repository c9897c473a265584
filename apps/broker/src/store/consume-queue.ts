/**
 * ConsumeQueue: the per-(topic, queueId) index into the CommitLog.
 *
 * Interview question: "How does a consumer find the messages of one queue in a log shared by all
 * topics?" — each queue has its own file of fixed 20-byte entries (commitLogOffset int64, size
 * int32, tagsCode int64). Logical offset N is entry N, at byte N × 20: no search, just arithmetic.
 * The tagsCode lets the broker filter by tag without touching the CommitLog.
 *
 * Entries are written by the reput step only, so a ConsumeQueue can always be rebuilt from the
 * CommitLog. The tail lives in memory chunks (shared budget), is written to the file and fsynced
 * by FlushConsumeQueueService every flushIntervalConsumeQueue.
 */
import { readInt64BE, writeInt64BE } from './protocol';
import { type ChunkCache } from './chunk-cache';
import { MappedFileQueue } from './mapped-file-queue';
import { type StoreLogger } from './store-logger';

export const CQ_STORE_UNIT_SIZE = 20;
/** Entries written in front of the first real one when a queue starts above offset 0. */
const BLANK_ENTRY_SIZE = 0x7fffffff;
/** Chunk of 4096 entries: a multiple of 20, so an entry never straddles two chunks. */
const CQ_CHUNK_SIZE = CQ_STORE_UNIT_SIZE * 4096;

export interface ConsumeQueueEntry {
  commitLogOffset: number;
  size: number;
  tagsCode: number;
}

export class ConsumeQueue {
  private readonly queue: MappedFileQueue;
  /** End (offset + size) of the CommitLog record of the last entry; -1 when empty. */
  maxPhysicOffset = -1;
  /** First logical offset whose message is still in the CommitLog. */
  private minLogicOffset = 0;
  private readonly entry = Buffer.alloc(CQ_STORE_UNIT_SIZE);

  constructor(
    readonly topic: string,
    readonly queueId: number,
    storePath: string,
    readonly mappedFileSize: number,
    cache: ChunkCache,
    private readonly logger: StoreLogger,
  ) {
    const chunkSize = Math.min(CQ_CHUNK_SIZE, mappedFileSize);
    this.queue = new MappedFileQueue(storePath, mappedFileSize, chunkSize, cache, logger);
  }

  /** Opens the segment files and finds where the valid entries end. */
  load(): void {
    this.queue.load();
    this.recover();
  }

  /** RocketMQ's rule: scan the last three segments; an entry is valid if offset ≥ 0 and size > 0. */
  private recover(): void {
    const files = this.queue.mappedFiles;
    if (files.length === 0) return;
    let end = files[Math.max(0, files.length - 3)].fileFromOffset;
    let last: ConsumeQueueEntry | undefined;
    for (const file of files.slice(Math.max(0, files.length - 3))) {
      const data = file.read(0, file.fileSize);
      let pos = 0;
      for (; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
        const entry = decodeEntry(data, pos);
        if (entry.commitLogOffset < 0 || entry.size <= 0) break;
        if (entry.size !== BLANK_ENTRY_SIZE) last = entry;
      }
      end = file.fileFromOffset + pos;
      if (pos < file.fileSize) break;
    }
    this.queue.truncateDirtyFiles(end);
    this.maxPhysicOffset = last ? last.commitLogOffset + last.size : -1;
  }

  // ---- write (reput only) -----------------------------------------------------------------------

  /**
   * Writes entry `cqOffset`. An entry that already exists (re-dispatch after a restart) is skipped;
   * a queue that starts above 0 (after retention, or on a fresh slave) is padded with blank entries.
   */
  putEntry(commitLogOffset: number, size: number, tagsCode: number, cqOffset: number): boolean {
    if (commitLogOffset + size <= this.maxPhysicOffset) return true;
    const expected = cqOffset * CQ_STORE_UNIT_SIZE;
    const current = this.queue.getMaxOffset();
    if (expected < current && this.queue.getLastMappedFile()) return true;
    if (!this.queue.getLastMappedFile()) {
      this.startAt(expected);
    } else if (expected > current) {
      this.logger.error(
        `consume queue ${this.topic}-${this.queueId}: gap from ${current / 20} to ${cqOffset}`,
      );
      this.fillBlank(expected);
    }
    this.append(encodeEntry(this.entry, commitLogOffset, size, tagsCode));
    this.maxPhysicOffset = commitLogOffset + size;
    return true;
  }

  private startAt(byteOffset: number): void {
    const file = this.queue.getLastMappedFileOrCreate(byteOffset);
    if (byteOffset > file.fileFromOffset) {
      this.fillBlank(byteOffset);
      this.minLogicOffset = byteOffset / CQ_STORE_UNIT_SIZE;
    }
  }

  private fillBlank(untilByteOffset: number): void {
    const blank = encodeEntry(Buffer.alloc(CQ_STORE_UNIT_SIZE), 0, BLANK_ENTRY_SIZE, 0);
    while (this.queue.getMaxOffset() < untilByteOffset) this.append(blank);
  }

  private append(entry: Buffer): void {
    const file = this.queue.getLastMappedFileOrCreate(this.queue.getMaxOffset());
    file.appendBytes(entry);
  }

  // ---- read -------------------------------------------------------------------------------------

  /** Next logical offset (the number of entries ever written, including deleted ones). */
  getMaxOffsetInQueue(): number {
    return this.queue.getMaxOffset() / CQ_STORE_UNIT_SIZE;
  }

  getMinOffsetInQueue(): number {
    return Math.max(this.minLogicOffset, this.queue.getMinOffset() / CQ_STORE_UNIT_SIZE);
  }

  /**
   * Entries from `offset` to the end of its segment file (RocketMQ's `getIndexBuffer`), at most
   * `maxEntries`; undefined when the segment is gone.
   */
  getEntries(offset: number, maxEntries: number): Buffer | undefined {
    const byteOffset = offset * CQ_STORE_UNIT_SIZE;
    const file = this.queue.findMappedFileByOffset(byteOffset);
    if (!file) return undefined;
    const position = byteOffset - file.fileFromOffset;
    if (position >= file.wrotePosition) return undefined;
    return file.readAvailable(position, maxEntries * CQ_STORE_UNIT_SIZE);
  }

  getEntry(offset: number): ConsumeQueueEntry | undefined {
    const data = this.getEntries(offset, 1);
    return data && data.length >= CQ_STORE_UNIT_SIZE ? decodeEntry(data, 0) : undefined;
  }

  /** The logical offset where the segment after the one holding `offset` starts. */
  rollNextFile(offset: number): number {
    const perFile = this.mappedFileSize / CQ_STORE_UNIT_SIZE;
    return offset + perFile - (offset % perFile);
  }

  // ---- recovery and retention -------------------------------------------------------------------

  /** Drops entries whose record does not end inside the valid CommitLog. */
  truncateDirtyLogicFiles(validPhysicalEnd: number): void {
    let end = this.queue.getMaxOffset();
    const start = this.queue.getMinOffset();
    let last: ConsumeQueueEntry | undefined;
    while (end > start) {
      const entry = this.getEntry(end / CQ_STORE_UNIT_SIZE - 1);
      if (
        entry &&
        entry.size !== BLANK_ENTRY_SIZE &&
        entry.commitLogOffset + entry.size <= validPhysicalEnd
      ) {
        last = entry;
        break;
      }
      end -= CQ_STORE_UNIT_SIZE;
    }
    if (end === this.queue.getMaxOffset()) return;
    this.queue.truncateDirtyFiles(end);
    this.maxPhysicOffset = last ? last.commitLogOffset + last.size : -1;
  }

  /**
   * After CommitLog retention: the first entry still backed by the log becomes the minimum.
   * Entries are ordered by commitLogOffset, so a binary search finds it.
   */
  correctMinOffset(minPhysicalOffset: number): void {
    let low = this.getMinOffsetInQueue();
    let high = this.getMaxOffsetInQueue();
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      const entry = this.getEntry(mid);
      // A missing segment counts as "still there": the pull answers OFFSET_FOUND_NULL for it.
      if (!entry || (entry.size !== BLANK_ENTRY_SIZE && entry.commitLogOffset >= minPhysicalOffset))
        high = mid;
      else low = mid + 1;
    }
    this.minLogicOffset = low;
  }

  /** Deletes segments (never the last) whose every entry points below `minPhysicalOffset`. */
  deleteExpiredFile(minPhysicalOffset: number): number {
    return this.queue.deleteFilesFromFront((file) => {
      const lastEntry = file.read(file.fileSize - CQ_STORE_UNIT_SIZE, CQ_STORE_UNIT_SIZE);
      return decodeEntry(lastEntry, 0).commitLogOffset < minPhysicalOffset;
    }, Number.MAX_SAFE_INTEGER);
  }

  hasDirtyData(): boolean {
    return this.queue.hasUncommitted() || this.queue.flushedWhere < this.queue.committedWhere;
  }

  async flush(): Promise<void> {
    await this.queue.commit();
    await this.queue.flush();
  }

  close(): void {
    this.queue.close();
  }

  destroy(): void {
    this.queue.destroy();
  }
}

function encodeEntry(buf: Buffer, commitLogOffset: number, size: number, tagsCode: number): Buffer {
  writeInt64BE(buf, commitLogOffset, 0);
  buf.writeInt32BE(size, 8);
  writeInt64BE(buf, tagsCode, 12);
  return buf;
}

export function decodeEntry(buf: Buffer, pos: number): ConsumeQueueEntry {
  return {
    commitLogOffset: readInt64BE(buf, pos),
    size: buf.readInt32BE(pos + 8),
    tagsCode: readInt64BE(buf, pos + 12),
  };
}
