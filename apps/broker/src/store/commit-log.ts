/**
 * CommitLog: the one sequential log every message of every topic is appended to.
 *
 * Interview question: "Why is RocketMQ's write path fast?" — one sequential commit log for all
 * topics. A put never seeks: it appends one self-describing record (rocketmq-facts.md §3.1) at the
 * end of the last segment; ConsumeQueues and IndexFiles are built from the log afterwards (reput)
 * and can always be rebuilt from it.
 *
 * The single writer is the JavaScript thread itself: an append is a synchronous in-memory copy that
 * assigns the physical offset, patches QUEUEOFFSET/PHYSICALOFFSET/STORETIMESTAMP into the encoded
 * record and advances the write position, so no lock is needed (RocketMQ's putMessageLock). Disk
 * I/O happens later and elsewhere: commit() writes new bytes to the segment file, flush() fsyncs.
 *
 * A record that does not fit in the rest of a segment (with 8 bytes to spare) is not split: the
 * segment is closed with a BLANK marker (TOTALSIZE = bytes left, MAGIC = BLANK) and the record goes
 * to the next segment, so every record lies inside one file.
 */
import {
  BLANK_MARKER_LENGTH,
  encodeBlankMarker,
  encodeStoredMessageInto,
  type MessageRecord,
  patchStoredMessage,
  StoredMessageLayout,
} from './protocol';
import { type ChunkCache } from './chunk-cache';
import { readDispatchRequest } from './dispatch-request';
import { type MappedFile } from './mapped-file';
import { MappedFileQueue } from './mapped-file-queue';
import { type MessageStoreConfig } from './message-store.config';
import { PutMessageStatus } from './put-message-result';
import { StorePaths } from './store-file-names';
import { type StoreLogger } from './store-logger';

/** Recovery reads the log in windows of this size. */
const RECOVERY_WINDOW = 4 * 1024 * 1024;

export class CommitLog {
  readonly queue: MappedFileQueue;
  private readonly blankMarker = Buffer.alloc(BLANK_MARKER_LENGTH);

  constructor(
    private readonly config: MessageStoreConfig,
    cache: ChunkCache,
    private readonly logger: StoreLogger,
  ) {
    const chunkSize = Math.min(config.writeChunkSize, config.mappedFileSizeCommitLog);
    this.queue = new MappedFileQueue(
      StorePaths.commitLog(config.storePathRootDir),
      config.mappedFileSizeCommitLog,
      chunkSize,
      cache,
      logger,
    );
  }

  load(): void {
    this.queue.load();
  }

  get mappedFileSize(): number {
    return this.config.mappedFileSizeCommitLog;
  }

  getMinOffset(): number {
    return this.queue.getMinOffset();
  }

  getMaxOffset(): number {
    return this.queue.getMaxOffset();
  }

  getFlushedWhere(): number {
    return this.queue.flushedWhere;
  }

  rollNextFile(offset: number): number {
    return this.queue.rollNextFile(offset);
  }

  // ---- append -----------------------------------------------------------------------------------

  /**
   * Appends one record of `size` bytes (already validated) and returns its physical offset, or a
   * status when no segment could be created.
   */
  appendMessage(
    record: MessageRecord,
    properties: string,
    size: number,
    queueOffset: number,
    storeTimestamp: number,
  ): number | PutMessageStatus {
    const file = this.writableFileFor(size);
    if (!file) return PutMessageStatus.CREATE_MAPPED_FILE_FAILED;
    const wroteOffset = file.fileFromOffset + file.wrotePosition;
    this.writeRecord(file, record, properties, size, queueOffset, wroteOffset, storeTimestamp);
    return wroteOffset;
  }

  /** Appends a batch contiguously in one segment, with consecutive queue offsets. */
  appendBatch(
    records: readonly MessageRecord[],
    properties: readonly string[],
    sizes: readonly number[],
    firstQueueOffset: number,
    storeTimestamp: number,
  ): number | PutMessageStatus {
    const total = sizes.reduce((sum, size) => sum + size, 0);
    const file = this.writableFileFor(total);
    if (!file) return PutMessageStatus.CREATE_MAPPED_FILE_FAILED;
    const firstOffset = file.fileFromOffset + file.wrotePosition;
    let wroteOffset = firstOffset;
    for (let i = 0; i < records.length; i++) {
      this.writeRecord(
        file,
        records[i],
        properties[i],
        sizes[i],
        firstQueueOffset + i,
        wroteOffset,
        storeTimestamp,
      );
      wroteOffset += sizes[i];
    }
    return firstOffset;
  }

  private writeRecord(
    file: MappedFile,
    record: MessageRecord,
    properties: string,
    size: number,
    queueOffset: number,
    wroteOffset: number,
    storeTimestamp: number,
  ): void {
    const chunk = file.contiguousChunkFor(size);
    if (chunk) {
      const at = file.chunkOffset(file.wrotePosition);
      encodeStoredMessageInto(chunk, at, record, properties);
      patchStoredMessage(chunk, at, queueOffset, wroteOffset, storeTimestamp);
      file.advance(size);
    } else {
      // Straddles two chunks: encode aside once, then copy in pieces.
      const scratch = Buffer.allocUnsafe(size);
      encodeStoredMessageInto(scratch, 0, record, properties);
      patchStoredMessage(scratch, 0, queueOffset, wroteOffset, storeTimestamp);
      file.appendBytes(scratch);
    }
    file.lastStoreTimestamp = storeTimestamp;
  }

  /** The last segment if `size` bytes fit with room for a blank marker, else the next one. */
  private writableFileFor(size: number): MappedFile | undefined {
    try {
      const file = this.queue.getLastMappedFileOrCreate(0);
      if (size + BLANK_MARKER_LENGTH <= file.remaining()) return file;
      this.closeWithBlank(file);
      return this.queue.getLastMappedFileOrCreate(0);
    } catch (err) {
      this.logger.error(`cannot create a commit log segment: ${String(err)}`);
      return undefined;
    }
  }

  private closeWithBlank(file: MappedFile): void {
    const remaining = file.remaining();
    if (remaining >= BLANK_MARKER_LENGTH) {
      encodeBlankMarker(this.blankMarker, 0, remaining);
      file.appendBytes(this.blankMarker);
      file.appendZeros(remaining - BLANK_MARKER_LENGTH);
    } else {
      file.appendZeros(remaining);
    }
  }

  /**
   * A slave appends bytes replicated from its master (rocketmq-facts.md §5.2). They must continue
   * exactly at our end; they may end in the middle of a record, which reput simply waits out.
   */
  appendRaw(startOffset: number, data: Buffer): boolean {
    if (!this.queue.getLastMappedFile()) {
      const file = this.queue.getLastMappedFileOrCreate(startOffset);
      if (startOffset > file.fileFromOffset) file.truncateTo(startOffset - file.fileFromOffset);
      this.queue.committedWhere = this.queue.flushedWhere = startOffset;
    }
    if (startOffset !== this.getMaxOffset()) return false;
    for (let pos = 0; pos < data.length;) {
      const file = this.queue.getLastMappedFileOrCreate(0);
      const n = Math.min(file.remaining(), data.length - pos);
      file.appendBytes(data, pos, pos + n);
      pos += n;
    }
    return true;
  }

  // ---- read -------------------------------------------------------------------------------------

  /** Raw bytes from any offset up to `maxBytes`, stopping at the end of its segment. */
  getData(offset: number, maxBytes: number): Buffer | undefined {
    const file = this.queue.findMappedFileByOffset(offset);
    if (!file) return undefined;
    const position = offset - file.fileFromOffset;
    if (position >= file.wrotePosition) return undefined;
    return file.readAvailable(position, maxBytes);
  }

  /** Exactly `size` bytes at `offset`, or undefined if they are not (or no longer) in the log. */
  getMessage(offset: number, size: number): Buffer | undefined {
    const file = this.queue.findMappedFileByOffset(offset);
    if (!file) return undefined;
    const position = offset - file.fileFromOffset;
    if (position + size > file.wrotePosition) return undefined;
    return file.read(position, size);
  }

  /** The whole record starting at `offset`, sized by its TOTALSIZE field. */
  readRecord(offset: number): Buffer | undefined {
    const file = this.queue.findMappedFileByOffset(offset);
    if (!file) return undefined;
    const position = offset - file.fileFromOffset;
    if (position + StoredMessageLayout.FIXED_LENGTH > file.wrotePosition) return undefined;
    const size = file.read(position, 4).readInt32BE(0);
    if (size < StoredMessageLayout.FIXED_LENGTH || position + size > file.wrotePosition) return undefined;
    return file.read(position, size);
  }

  /** Whether a read at `offset` is served from memory (the pull batch limits depend on it). */
  isInMemory(offset: number): boolean {
    const file = this.queue.findMappedFileByOffset(offset);
    return file ? file.isResident(offset - file.fileFromOffset) : false;
  }

  // ---- recovery and retention -------------------------------------------------------------------

  /**
   * Validates records from the start of segment `fromFileIndex` (a record boundary by
   * construction), stops at the first record that is torn, corrupt or absent, cuts the log there
   * and returns that offset: the end of the valid log.
   */
  recover(fromFileIndex: number, checkCRC: boolean): number {
    const files = this.queue.mappedFiles;
    if (files.length === 0) return 0;
    const start = files[Math.max(0, Math.min(fromFileIndex, files.length - 1))];
    let offset = start.fileFromOffset;
    for (let file = this.queue.findMappedFileByOffset(offset); file;) {
      offset = this.validEndIn(file, offset, checkCRC);
      if (offset !== file.fileFromOffset + file.fileSize) break;
      file = this.queue.findMappedFileByOffset(offset);
    }
    this.queue.truncateDirtyFiles(offset);
    this.logger.info(`commit log recovered, valid data ends at ${offset}`);
    return offset;
  }

  /** Offset just past the last valid record of `file` from `offset` on (its end if all valid). */
  private validEndIn(file: MappedFile, offset: number, checkCRC: boolean): number {
    const fileEnd = file.fileFromOffset + file.fileSize;
    let windowStart = offset;
    let window = file.read(offset - file.fileFromOffset, Math.min(RECOVERY_WINDOW, fileEnd - offset));
    while (offset < fileEnd) {
      const pos = offset - windowStart;
      const result = readDispatchRequest(window, pos, {
        checkCRC,
        expectedOffset: offset,
        tagsCodeResolver: this.config.tagsCodeResolver,
      });
      if (result.status === 'MESSAGE') {
        offset += result.size;
      } else if (result.status === 'BLANK') {
        return offset + result.size === fileEnd ? fileEnd : offset;
      } else if (result.status === 'CORRUPT') {
        if (!isZeroHeader(window, pos)) {
          this.logger.warn(
            `commit log record at ${offset} is invalid (${result.reason}), cutting the log there`,
          );
        }
        return offset;
      } else {
        // The record runs past the window: re-read from its start, large enough to hold it.
        const size = window.length - pos >= 4 ? window.readInt32BE(pos) : 0;
        const want = Math.min(Math.max(RECOVERY_WINDOW, size), fileEnd - offset);
        if (pos === 0 && window.length >= want) return offset;
        windowStart = offset;
        window = file.read(offset - file.fileFromOffset, want);
      }
    }
    return fileEnd;
  }

  deleteExpiredFiles(expired: (file: MappedFile) => boolean, maxFiles: number): number {
    return this.queue.deleteFilesFromFront(expired, maxFiles);
  }

  close(): void {
    this.queue.close();
  }
}

/** Zeros where a record would start: the normal end of the written data, not damage. */
function isZeroHeader(buf: Buffer, pos: number): boolean {
  return buf.length - pos >= 8 && buf.readInt32BE(pos) === 0 && buf.readInt32BE(pos + 4) === 0;
}
