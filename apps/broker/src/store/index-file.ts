/**
 * IndexFile: a hash index on disk, from "topic#key" to CommitLog offsets (rocketmq-facts.md §4.4).
 *
 * Interview question: "How does RocketMQ find a message by key without a database?" — a fixed-size
 * hash table in a file: a 40-byte header, a slot table of int32 (the newest entry number per hash
 * slot), and an append-only array of 20-byte entries (keyHash, phyOffset, seconds since the file's
 * beginTimestamp, previous entry number in the same slot). A lookup reads the slot and walks the
 * chain backwards, newest first; collisions are resolved by comparing the hash, and the caller
 * re-checks the real key in the message. Entry #0 is never used, so 0 means "empty".
 *
 * The active file is kept in a Buffer (RocketMQ mmaps it) and written out on flush, only the parts
 * that changed; full files are read with positional reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexKeyHashOf, readInt64BE, writeInt64BE } from './protocol';
import { datasync, readFullySync, writeFully } from './positional-io';
import { StoreError } from './store-error';
import { timestampToFileName } from './store-file-names';

export const INDEX_HEADER_SIZE = 40;
const SLOT_SIZE = 4;
const ENTRY_SIZE = 20;

export function indexFileSize(hashSlotNum: number, indexNum: number): number {
  return INDEX_HEADER_SIZE + hashSlotNum * SLOT_SIZE + indexNum * ENTRY_SIZE;
}

export class IndexFile {
  beginTimestamp = 0;
  endTimestamp = 0;
  beginPhyOffset = 0;
  endPhyOffset = 0;
  hashSlotCount = 0;
  indexCount = 1;

  /** In-memory image of the whole file while it is being written; undefined once retired. */
  private image: Buffer | undefined;
  private dirtySlotLow = Number.MAX_SAFE_INTEGER;
  private dirtySlotHigh = -1;
  private persistedIndexCount = 1;
  private headerDirty = false;

  private constructor(
    readonly filePath: string,
    readonly hashSlotNum: number,
    readonly indexNum: number,
    private readonly fd: number,
  ) {}

  static create(dir: string, now: number, hashSlotNum: number, indexNum: number): IndexFile {
    fs.mkdirSync(dir, { recursive: true });
    let stamp = now;
    while (fs.existsSync(path.join(dir, timestampToFileName(stamp)))) stamp++;
    const filePath = path.join(dir, timestampToFileName(stamp));
    const size = indexFileSize(hashSlotNum, indexNum);
    const fd = fs.openSync(filePath, 'w+');
    fs.ftruncateSync(fd, size);
    const file = new IndexFile(filePath, hashSlotNum, indexNum, fd);
    file.image = Buffer.alloc(size);
    file.headerDirty = true;
    return file;
  }

  /** Opens a file; `writable` loads its image so that new keys can be added. */
  static load(filePath: string, hashSlotNum: number, indexNum: number, writable: boolean): IndexFile {
    const fd = fs.openSync(filePath, 'r+');
    const size = indexFileSize(hashSlotNum, indexNum);
    if (fs.fstatSync(fd).size !== size) {
      fs.closeSync(fd);
      throw new StoreError('FILE_SIZE_MISMATCH', `${filePath} does not match maxHashSlotNum/maxIndexNum`);
    }
    const file = new IndexFile(filePath, hashSlotNum, indexNum, fd);
    const header = Buffer.alloc(INDEX_HEADER_SIZE);
    readFullySync(fd, header, 0, INDEX_HEADER_SIZE, 0);
    file.readHeader(header);
    file.persistedIndexCount = file.indexCount;
    if (writable && !file.isWriteFull()) {
      file.image = Buffer.alloc(size);
      readFullySync(fd, file.image, 0, size, 0);
    }
    return file;
  }

  get fileName(): string {
    return path.basename(this.filePath);
  }

  isWriteFull(): boolean {
    return this.indexCount >= this.indexNum;
  }

  isWritable(): boolean {
    return this.image !== undefined && !this.isWriteFull();
  }

  /** True once any message was dispatched into this file (keys or not). */
  hasDispatched(): boolean {
    return this.beginTimestamp > 0;
  }

  // ---- write ------------------------------------------------------------------------------------

  /** Adds one key; false when the file is full (the caller starts a new one). */
  putKey(key: string, phyOffset: number, storeTimestamp: number): boolean {
    const image = this.image;
    if (!image || this.isWriteFull()) return false;
    this.markDispatched(phyOffset, storeTimestamp);
    const keyHash = indexKeyHashOf(key);
    const slot = keyHash % this.hashSlotNum;
    const slotPos = INDEX_HEADER_SIZE + slot * SLOT_SIZE;
    let prevIndex = image.readInt32BE(slotPos);
    if (prevIndex <= 0 || prevIndex > this.indexCount) prevIndex = 0;

    const timeDiff = Math.min(
      0x7fffffff,
      Math.max(0, Math.floor((storeTimestamp - this.beginTimestamp) / 1000)),
    );
    const entryPos = this.entryPosition(this.indexCount);
    image.writeInt32BE(keyHash, entryPos);
    writeInt64BE(image, phyOffset, entryPos + 4);
    image.writeInt32BE(timeDiff, entryPos + 12);
    image.writeInt32BE(prevIndex, entryPos + 16);
    image.writeInt32BE(this.indexCount, slotPos);

    if (prevIndex === 0) this.hashSlotCount++;
    this.indexCount++;
    this.dirtySlotLow = Math.min(this.dirtySlotLow, slot);
    this.dirtySlotHigh = Math.max(this.dirtySlotHigh, slot);
    return true;
  }

  /**
   * Records that the message at `phyOffset` went through the index dispatcher, keys or not. (Our
   * addition: RocketMQ moves endPhyOffset only when a key is added; moving it for every message
   * lets a restart resume indexing exactly where it stopped.)
   */
  markDispatched(phyOffset: number, storeTimestamp: number): void {
    if (this.beginTimestamp <= 0) {
      this.beginTimestamp = storeTimestamp;
      this.beginPhyOffset = phyOffset;
    }
    this.endTimestamp = storeTimestamp;
    this.endPhyOffset = phyOffset;
    this.headerDirty = true;
  }

  private entryPosition(index: number): number {
    return INDEX_HEADER_SIZE + this.hashSlotNum * SLOT_SIZE + index * ENTRY_SIZE;
  }

  // ---- read -------------------------------------------------------------------------------------

  /** RocketMQ's overlap test between the query range and the file's time span. */
  isTimeMatched(begin: number, end: number): boolean {
    if (begin < this.beginTimestamp && end > this.endTimestamp) return true;
    if (begin >= this.beginTimestamp && begin <= this.endTimestamp) return true;
    return end >= this.beginTimestamp && end <= this.endTimestamp;
  }

  /** Appends to `out` the offsets of entries for `key` stored in [begin, end], newest first. */
  selectPhyOffsets(out: number[], key: string, maxNum: number, begin: number, end: number): void {
    const keyHash = indexKeyHashOf(key);
    const slot = keyHash % this.hashSlotNum;
    let index = this.read(INDEX_HEADER_SIZE + slot * SLOT_SIZE, SLOT_SIZE).readInt32BE(0);
    if (index <= 0 || index >= this.indexCount) return;
    while (out.length < maxNum) {
      const entry = this.read(this.entryPosition(index), ENTRY_SIZE);
      const hashRead = entry.readInt32BE(0);
      const timeDiff = entry.readInt32BE(12);
      const prevIndex = entry.readInt32BE(16);
      if (timeDiff < 0) break;
      const timeRead = this.beginTimestamp + timeDiff * 1000;
      if (hashRead === keyHash && timeRead >= begin && timeRead <= end) out.push(readInt64BE(entry, 4));
      if (prevIndex <= 0 || prevIndex >= this.indexCount || prevIndex === index || timeRead < begin) break;
      index = prevIndex;
    }
  }

  private read(position: number, length: number): Buffer {
    if (this.image) return this.image.subarray(position, position + length);
    const buf = Buffer.alloc(length);
    readFullySync(this.fd, buf, 0, length, position);
    return buf;
  }

  // ---- persistence ------------------------------------------------------------------------------

  /** Writes the changed slots, the new entries and then the header; fsyncs. */
  async persist(): Promise<boolean> {
    const image = this.image;
    if (!image || !this.headerDirty) return false;
    const slotLow = this.dirtySlotLow;
    const slotHigh = this.dirtySlotHigh;
    const entryLow = this.persistedIndexCount;
    const entryHigh = this.indexCount;
    this.dirtySlotLow = Number.MAX_SAFE_INTEGER;
    this.dirtySlotHigh = -1;
    this.persistedIndexCount = entryHigh;
    this.headerDirty = false;

    if (slotHigh >= slotLow) {
      const from = INDEX_HEADER_SIZE + slotLow * SLOT_SIZE;
      await writeFully(this.fd, image, from, (slotHigh - slotLow + 1) * SLOT_SIZE, from);
    }
    if (entryHigh > entryLow) {
      const from = this.entryPosition(entryLow);
      await writeFully(this.fd, image, from, (entryHigh - entryLow) * ENTRY_SIZE, from);
    }
    const header = this.encodeHeader();
    await writeFully(this.fd, header, 0, INDEX_HEADER_SIZE, 0);
    await datasync(this.fd);
    return true;
  }

  /** A full, persisted file needs no image any more: lookups go to disk. */
  retire(): void {
    this.image = undefined;
  }

  isPersisted(): boolean {
    return !this.headerDirty;
  }

  private encodeHeader(): Buffer {
    const header = Buffer.alloc(INDEX_HEADER_SIZE);
    writeInt64BE(header, this.beginTimestamp, 0);
    writeInt64BE(header, this.endTimestamp, 8);
    writeInt64BE(header, this.beginPhyOffset, 16);
    writeInt64BE(header, this.endPhyOffset, 24);
    header.writeInt32BE(this.hashSlotCount, 32);
    header.writeInt32BE(this.indexCount, 36);
    return header;
  }

  private readHeader(header: Buffer): void {
    this.beginTimestamp = readInt64BE(header, 0);
    this.endTimestamp = readInt64BE(header, 8);
    this.beginPhyOffset = readInt64BE(header, 16);
    this.endPhyOffset = readInt64BE(header, 24);
    this.hashSlotCount = header.readInt32BE(32);
    this.indexCount = Math.max(1, header.readInt32BE(36));
  }

  close(): void {
    fs.closeSync(this.fd);
    this.image = undefined;
  }

  destroy(): void {
    this.close();
    fs.rmSync(this.filePath, { force: true });
  }
}
