/**
 * MappedFileQueue: an append-only log made of equal-size segment files, each named by the offset of
 * its first byte. The CommitLog is one; every ConsumeQueue is another.
 *
 * Interview question: "How can a log grow forever and still be deleted from the front?" — it is a
 * list of segments: appends go to the last one (a new one is created when it is full), retention
 * deletes whole segments from the front, and the file name turns an offset into (file, position).
 *
 * Commit and flush are serialized here: at most one write pass and one fsync pass run at a time,
 * and a caller that arrives while one runs waits for it and then does its own (usually empty) pass.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ChunkCache } from './chunk-cache';
import { MappedFile } from './mapped-file';
import { parseOffsetFileName } from './store-file-names';
import { type StoreLogger } from './store-logger';

export class MappedFileQueue {
  private files: MappedFile[] = [];
  /** Offset up to which bytes are written to the files / fsynced. */
  committedWhere = 0;
  flushedWhere = 0;
  /** Store time of the newest record covered by `flushedWhere`. */
  flushedStoreTimestamp = 0;
  /** Number of fdatasync calls issued since the queue was created. */
  fsyncCount = 0;

  private committedStoreTimestamp = 0;

  private committing: Promise<number> | undefined;
  private flushing: Promise<boolean> | undefined;

  constructor(
    readonly storePath: string,
    readonly mappedFileSize: number,
    readonly chunkSize: number,
    private readonly cache: ChunkCache,
    private readonly logger: StoreLogger,
  ) {}

  /** Opens every segment in the directory; each counts as full until recovery says otherwise. */
  load(): void {
    fs.mkdirSync(this.storePath, { recursive: true });
    const names = fs
      .readdirSync(this.storePath)
      .filter((name) => parseOffsetFileName(name) !== undefined)
      .sort();
    for (const name of names) {
      const from = parseOffsetFileName(name) as number;
      const file = MappedFile.open(
        path.join(this.storePath, name),
        from,
        this.mappedFileSize,
        this.chunkSize,
        this.cache,
      );
      this.files.push(file);
    }
    const end = this.getMaxOffset();
    this.committedWhere = this.flushedWhere = end;
  }

  get mappedFiles(): readonly MappedFile[] {
    return this.files;
  }

  getFirstMappedFile(): MappedFile | undefined {
    return this.files[0];
  }

  getLastMappedFile(): MappedFile | undefined {
    return this.files[this.files.length - 1];
  }

  /**
   * The segment to append to: the last one if it has room, else a new one. An empty queue starts
   * at the segment boundary at or below `startOffset` (a slave, or a ConsumeQueue that begins late).
   */
  getLastMappedFileOrCreate(startOffset = 0): MappedFile {
    const last = this.getLastMappedFile();
    if (last && !last.isFull()) return last;
    const from = last
      ? last.fileFromOffset + this.mappedFileSize
      : startOffset - (startOffset % this.mappedFileSize);
    const file = MappedFile.create(this.storePath, from, this.mappedFileSize, this.chunkSize, this.cache);
    this.files.push(file);
    if (!last) this.committedWhere = this.flushedWhere = from;
    return file;
  }

  findMappedFileByOffset(offset: number): MappedFile | undefined {
    const first = this.files[0];
    if (!first || offset < first.fileFromOffset) return undefined;
    const file = this.files[Math.floor((offset - first.fileFromOffset) / this.mappedFileSize)];
    if (file && offset >= file.fileFromOffset && offset < file.fileFromOffset + this.mappedFileSize)
      return file;
    return this.files.find(
      (f) => offset >= f.fileFromOffset && offset < f.fileFromOffset + this.mappedFileSize,
    );
  }

  getMinOffset(): number {
    return this.files[0]?.fileFromOffset ?? 0;
  }

  /** The offset the next byte will be appended at. */
  getMaxOffset(): number {
    const last = this.getLastMappedFile();
    return last ? last.fileFromOffset + last.wrotePosition : 0;
  }

  /** The start of the segment after the one holding `offset` (RocketMQ's `rollNextFile`). */
  rollNextFile(offset: number): number {
    return offset + this.mappedFileSize - (offset % this.mappedFileSize);
  }

  hasUncommitted(): boolean {
    return this.committedWhere < this.getMaxOffset();
  }

  // ---- commit and flush -------------------------------------------------------------------------

  /** Writes every appended byte to the files; returns the number of bytes written by this pass. */
  async commit(): Promise<number> {
    while (this.committing) await this.committing;
    if (!this.hasUncommitted()) return 0;
    this.committing = this.commitPass();
    try {
      return await this.committing;
    } finally {
      this.committing = undefined;
    }
  }

  /**
   * Writes in log order from `committedWhere` up to the end seen when the pass began.
   * `committedWhere` must only ever cover bytes that are in the files: group commit acknowledges
   * SYNC_FLUSH puts by it. So a pass never moves on to the next segment while the current one has
   * unwritten bytes — appends that fill a segment while its write is in flight are written by the
   * next loop iteration, before anything of the segment after it.
   */
  private async commitPass(): Promise<number> {
    const end = this.getMaxOffset();
    let bytes = 0;
    while (this.committedWhere < end) {
      const file = this.findMappedFileByOffset(this.committedWhere);
      if (!file || file.committedPosition >= file.wrotePosition) break;
      bytes += await file.commit();
      this.committedWhere = file.fileFromOffset + file.committedPosition;
      this.committedStoreTimestamp = file.lastStoreTimestamp;
    }
    return bytes;
  }

  /** fsyncs everything committed so far; true when at least one fsync was issued. */
  async flush(): Promise<boolean> {
    while (this.flushing) await this.flushing;
    if (this.flushedWhere >= this.committedWhere) return false;
    this.flushing = this.flushPass();
    try {
      return await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async flushPass(): Promise<boolean> {
    const target = this.committedWhere;
    const timestamp = this.committedStoreTimestamp;
    let synced = false;
    for (const file of this.files) {
      if (file.fileFromOffset + file.fileSize <= this.flushedWhere) continue;
      if (file.fileFromOffset >= target) break;
      if (await file.flush()) {
        this.fsyncCount++;
        synced = true;
      }
    }
    if (target > this.flushedWhere) this.flushedWhere = target;
    this.flushedStoreTimestamp = timestamp;
    this.cache.trim();
    return synced;
  }

  // ---- recovery and retention -------------------------------------------------------------------

  /** Drops every byte from `offset` on: later segments are deleted, the one holding it is cut. */
  truncateDirtyFiles(offset: number): void {
    const keep: MappedFile[] = [];
    for (const file of this.files) {
      const end = file.fileFromOffset + this.mappedFileSize;
      if (end <= offset) {
        keep.push(file);
      } else if (file.fileFromOffset <= offset) {
        file.truncateTo(offset - file.fileFromOffset);
        keep.push(file);
      } else {
        this.logger.info(`truncating dirty file ${file.fileName}`);
        file.destroy();
      }
    }
    this.files = keep;
    this.committedWhere = this.flushedWhere = offset;
  }

  /** Deletes the first segment (never the last one). */
  deleteFirstFile(): MappedFile | undefined {
    if (this.files.length <= 1) return undefined;
    const file = this.files[0];
    if (file.committedPosition < file.wrotePosition || file.flushedPosition < file.committedPosition) {
      return undefined;
    }
    this.files.shift();
    file.destroy();
    this.logger.info(`deleted expired file ${file.filePath}`);
    return file;
  }

  /** Deletes segments from the front while `expired(file)` holds; returns how many went. */
  deleteFilesFromFront(expired: (file: MappedFile) => boolean, maxFiles: number): number {
    let deleted = 0;
    while (deleted < maxFiles && this.files.length > 1 && expired(this.files[0])) {
      if (!this.deleteFirstFile()) break;
      deleted++;
    }
    return deleted;
  }

  close(): void {
    for (const file of this.files) file.close();
  }

  /** Deletes every segment and the directory (a ConsumeQueue whose topic went away). */
  destroy(): void {
    for (const file of this.files) file.destroy();
    this.files = [];
    fs.rmSync(this.storePath, { recursive: true, force: true });
  }
}
