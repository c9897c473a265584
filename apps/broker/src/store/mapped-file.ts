/**
 * MappedFile: one fixed-size segment file of the CommitLog or of a ConsumeQueue, and the three
 * positions RocketMQ tracks for it.
 *
 * Interview question: "What is the difference between wrote, committed and flushed?" —
 *   wrotePosition     bytes appended in memory (visible to readers at once);
 *   committedPosition bytes handed to the operating system with write(2) (survive a process crash);
 *   flushedPosition   bytes forced to the device with fdatasync(2) (survive a power failure).
 *
 * RocketMQ mmaps each segment; with `transientStorePoolEnable` it first appends into an off-heap
 * buffer and a commit thread copies new bytes into the file. Node has no mmap, so this class always
 * works the second way: the file is a preallocated (sparse) file of `fileSize` bytes, new bytes land
 * in in-memory chunks, `commit()` writes the dirty range with positional writes, `flush()` fsyncs.
 * Chunks stay resident as a read cache until the shared ChunkCache evicts them; evicted ranges are
 * read back with positional reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CachedChunk, type ChunkCache, type ChunkOwner, type EvictOutcome } from './chunk-cache';
import { datasync, readFullySync, writeFully } from './positional-io';
import { StoreError } from './store-error';
import { offsetToFileName } from './store-file-names';

export class MappedFile implements ChunkOwner {
  wrotePosition = 0;
  committedPosition = 0;
  flushedPosition = 0;
  /** Store time of the newest record appended here (the checkpoint's physicMsgTimestamp). */
  lastStoreTimestamp = 0;

  private readonly chunks: (Buffer | undefined)[] = [];
  private readonly cacheEntries: (CachedChunk | undefined)[] = [];
  private closed = false;

  private constructor(
    readonly filePath: string,
    readonly fileFromOffset: number,
    readonly fileSize: number,
    readonly chunkSize: number,
    private readonly cache: ChunkCache,
    private readonly fd: number,
  ) {}

  /** A new, empty segment: created sparse at full size, so offsets map 1:1 onto file positions. */
  static create(dir: string, fromOffset: number, fileSize: number, chunkSize: number, cache: ChunkCache) {
    const filePath = path.join(dir, offsetToFileName(fromOffset));
    try {
      fs.mkdirSync(dir, { recursive: true });
      const fd = fs.openSync(filePath, 'w+');
      fs.ftruncateSync(fd, fileSize);
      return new MappedFile(filePath, fromOffset, fileSize, chunkSize, cache, fd);
    } catch (cause) {
      throw new StoreError('CREATE_MAPPED_FILE_FAILED', `cannot create ${filePath}`, { cause });
    }
  }

  /** An existing segment; it counts as full until recovery finds where its valid data ends. */
  static open(filePath: string, fromOffset: number, fileSize: number, chunkSize: number, cache: ChunkCache) {
    const fd = fs.openSync(filePath, 'r+');
    const actual = fs.fstatSync(fd).size;
    if (actual !== fileSize) {
      fs.closeSync(fd);
      throw new StoreError('FILE_SIZE_MISMATCH', `${filePath} is ${actual} bytes, expected ${fileSize}`);
    }
    const file = new MappedFile(filePath, fromOffset, fileSize, chunkSize, cache, fd);
    file.wrotePosition = file.committedPosition = file.flushedPosition = fileSize;
    return file;
  }

  get fileName(): string {
    return path.basename(this.filePath);
  }

  remaining(): number {
    return this.fileSize - this.wrotePosition;
  }

  isFull(): boolean {
    return this.wrotePosition >= this.fileSize;
  }

  lastModifiedMs(): number {
    return fs.fstatSync(this.fd).mtimeMs;
  }

  // ---- write path -------------------------------------------------------------------------------

  /**
   * The chunk to encode the next `length` bytes into directly, when they do not straddle a chunk
   * boundary; write at `chunkOffset(wrotePosition)` and then call `advance(length)`.
   */
  contiguousChunkFor(length: number): Buffer | undefined {
    const index = Math.floor(this.wrotePosition / this.chunkSize);
    const chunk = this.residentChunk(index);
    return this.chunkOffset(this.wrotePosition) + length <= chunk.length ? chunk : undefined;
  }

  chunkOffset(position: number): number {
    return position % this.chunkSize;
  }

  advance(length: number): void {
    this.wrotePosition += length;
  }

  /** Copies `src[start, end)` at the write position, across chunk boundaries if needed. */
  appendBytes(src: Buffer, start = 0, end = src.length): void {
    let pos = this.wrotePosition;
    for (let s = start; s < end;) {
      const chunk = this.residentChunk(Math.floor(pos / this.chunkSize));
      const off = this.chunkOffset(pos);
      const n = Math.min(end - s, chunk.length - off);
      src.copy(chunk, off, s, s + n);
      s += n;
      pos += n;
    }
    this.wrotePosition = pos;
  }

  /** Appends `length` zero bytes (the body of a blank end-of-file marker). */
  appendZeros(length: number): void {
    let pos = this.wrotePosition;
    for (const end = pos + length; pos < end;) {
      const chunk = this.residentChunk(Math.floor(pos / this.chunkSize));
      const off = this.chunkOffset(pos);
      const n = Math.min(end - pos, chunk.length - off);
      chunk.fill(0, off, off + n);
      pos += n;
    }
    this.wrotePosition = pos;
  }

  /** Writes [committed, wrote) to the file; returns the number of bytes written. */
  async commit(): Promise<number> {
    const from = this.committedPosition;
    const target = this.wrotePosition;
    for (let pos = from; pos < target;) {
      const index = Math.floor(pos / this.chunkSize);
      const chunk = this.chunks[index];
      if (!chunk) throw new Error(`uncommitted chunk ${index} of ${this.fileName} is not resident`);
      const off = this.chunkOffset(pos);
      const n = Math.min(target - pos, chunk.length - off);
      await writeFully(this.fd, chunk, off, n, pos);
      pos += n;
    }
    if (target > this.committedPosition) this.committedPosition = target;
    return target - from;
  }

  /** fdatasync if anything was committed since the last flush; true if it synced. */
  async flush(): Promise<boolean> {
    const target = this.committedPosition;
    if (target <= this.flushedPosition) return false;
    await datasync(this.fd);
    if (target > this.flushedPosition) this.flushedPosition = target;
    return true;
  }

  // ---- read path --------------------------------------------------------------------------------

  isResident(position: number): boolean {
    return this.chunks[Math.floor(position / this.chunkSize)] !== undefined;
  }

  /**
   * `length` bytes at `position` (< wrotePosition): a zero-copy view when they lie in one resident
   * chunk, else a copy assembled from chunks and the file. Views are read-only by contract.
   */
  read(position: number, length: number): Buffer {
    const first = Math.floor(position / this.chunkSize);
    const last = Math.floor((position + length - 1) / this.chunkSize);
    const chunk = this.chunks[first];
    if (first === last && chunk) {
      const off = this.chunkOffset(position);
      return chunk.subarray(off, off + length);
    }
    return this.readCopy(position, length);
  }

  /** Up to `maxLength` bytes from `position`, ending at the write position. */
  readAvailable(position: number, maxLength: number): Buffer {
    return this.read(position, Math.min(maxLength, this.wrotePosition - position));
  }

  private readCopy(position: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const pos = position + done;
      const chunk = this.chunks[Math.floor(pos / this.chunkSize)];
      const off = this.chunkOffset(pos);
      const n = Math.min(length - done, this.chunkSize - off);
      if (chunk) {
        chunk.copy(out, done, off, off + n);
      } else {
        out.fill(0, done + readFullySync(this.fd, out, done, n, pos), done + n);
      }
      done += n;
    }
    return out;
  }

  // ---- chunk residency --------------------------------------------------------------------------

  private residentChunk(index: number): Buffer {
    const existing = this.chunks[index];
    if (existing) return existing;
    const start = index * this.chunkSize;
    const chunk = Buffer.allocUnsafe(Math.min(this.chunkSize, this.fileSize - start));
    const validBytes = Math.min(this.wrotePosition, start + chunk.length) - start;
    if (validBytes > 0) readFullySync(this.fd, chunk, 0, validBytes, start);
    this.chunks[index] = chunk;
    this.cacheEntries[index] = this.cache.admit(this, index, chunk.length);
    return chunk;
  }

  evictChunk(index: number): EvictOutcome {
    const chunk = this.chunks[index];
    if (
      chunk &&
      Math.min(index * this.chunkSize + chunk.length, this.wrotePosition) > this.committedPosition
    ) {
      return 'pinned';
    }
    this.chunks[index] = undefined;
    this.cacheEntries[index] = undefined;
    return 'evicted';
  }

  private dropChunksFrom(index: number): void {
    for (let i = index; i < this.chunks.length; i++) {
      const entry = this.cacheEntries[i];
      if (entry) this.cache.release(entry);
      this.chunks[i] = undefined;
      this.cacheEntries[i] = undefined;
    }
  }

  // ---- recovery and lifecycle -------------------------------------------------------------------

  /**
   * Cuts everything from `position` on: the bytes on disk become zeros again (truncate, then
   * re-extend the sparse file), so a later scan cannot mistake stale bytes for records.
   */
  truncateTo(position: number): void {
    this.wrotePosition = this.committedPosition = this.flushedPosition = position;
    this.dropChunksFrom(Math.ceil(position / this.chunkSize));
    fs.ftruncateSync(this.fd, position);
    fs.ftruncateSync(this.fd, this.fileSize);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dropChunksFrom(0);
    fs.closeSync(this.fd);
  }

  destroy(): void {
    this.close();
    fs.rmSync(this.filePath, { force: true });
  }
}
