/**
 * IndexService: the list of IndexFiles (named by creation time) and the index dispatcher.
 *
 * Interview question: "What can you look a message up by?" — by offset msgId (it contains the
 * CommitLog offset, no index needed), and by business key or unique client id through this
 * index: every message's UNIQ_KEY and each space-separated KEYS entry are indexed as "topic#key".
 * When a file is full (maxIndexNum entries) a new one starts; retention deletes files whose
 * newest entry points below the CommitLog's minimum offset.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageConst, MessageSysFlag, splitKeys, transactionType } from './protocol';
import { type DispatchRequest } from './dispatch-request';
import { IndexFile } from './index-file';
import { type MessageStoreConfig } from './message-store.config';
import { StorePaths } from './store-file-names';
import { type StoreLogger } from './store-logger';

const INDEX_FILE_NAME = /^\d{17}$/;

export interface IndexQueryResult {
  phyOffsets: number[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

export class IndexService {
  private files: IndexFile[] = [];
  private readonly dir: string;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly logger: StoreLogger,
  ) {
    this.dir = StorePaths.index(config.storePathRootDir);
  }

  load(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const names = fs
      .readdirSync(this.dir)
      .filter((name) => INDEX_FILE_NAME.test(name))
      .sort();
    names.forEach((name, i) => {
      const writable = i === names.length - 1;
      const file = IndexFile.load(
        path.join(this.dir, name),
        this.config.maxHashSlotNum,
        this.config.maxIndexNum,
        writable,
      );
      this.files.push(file);
    });
  }

  // ---- dispatch ---------------------------------------------------------------------------------

  buildIndex(request: DispatchRequest): void {
    if (!this.config.messageIndexEnable) return;
    if (transactionType(request.sysFlag) === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) return;
    const last = this.files[this.files.length - 1];
    if (last?.hasDispatched() && request.commitLogOffset <= last.endPhyOffset) return;

    const uniqKey = request.properties[MessageConst.UNIQ_KEY];
    if (uniqKey) this.putKey(`${request.topic}#${uniqKey}`, request);
    const keys = request.properties[MessageConst.KEYS];
    if (keys) {
      for (const key of splitKeys(keys)) this.putKey(`${request.topic}#${key}`, request);
    }
    this.writableFile().markDispatched(request.commitLogOffset, request.storeTimestamp);
  }

  private putKey(key: string, request: DispatchRequest): void {
    if (this.writableFile().putKey(key, request.commitLogOffset, request.storeTimestamp)) return;
    this.roll().putKey(key, request.commitLogOffset, request.storeTimestamp);
  }

  private writableFile(): IndexFile {
    const last = this.files[this.files.length - 1];
    return last?.isWritable() ? last : this.roll();
  }

  private roll(): IndexFile {
    const file = IndexFile.create(this.dir, Date.now(), this.config.maxHashSlotNum, this.config.maxIndexNum);
    this.files.push(file);
    this.logger.info(`created index file ${file.fileName}`);
    return file;
  }

  // ---- query ------------------------------------------------------------------------------------

  /** Offsets of messages indexed under `topic#key` and stored in [begin, end], newest first. */
  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): IndexQueryResult {
    const result: IndexQueryResult = {
      phyOffsets: [],
      indexLastUpdateTimestamp: 0,
      indexLastUpdatePhyoffset: 0,
    };
    const limit = Math.min(maxNum, this.config.maxMsgsNumBatch);
    for (let i = this.files.length - 1; i >= 0; i--) {
      const file = this.files[i];
      if (i === this.files.length - 1) {
        result.indexLastUpdateTimestamp = file.endTimestamp;
        result.indexLastUpdatePhyoffset = file.endPhyOffset;
      }
      if (file.hasDispatched() && file.isTimeMatched(begin, end)) {
        file.selectPhyOffsets(result.phyOffsets, `${topic}#${key}`, limit, begin, end);
      }
      if (file.beginTimestamp < begin || result.phyOffsets.length >= limit) break;
    }
    return result;
  }

  // ---- recovery and retention -------------------------------------------------------------------

  /**
   * After the CommitLog was cut at `validEnd`: deletes index files that know messages past it and
   * returns the CommitLog offset from which indexing must be redone (undefined: no constraint).
   */
  truncatePast(validEnd: number): number | undefined {
    let redoFrom: number | undefined;
    while (this.files.length > 0) {
      const last = this.files[this.files.length - 1];
      if (!last.hasDispatched() || last.endPhyOffset < validEnd) break;
      this.logger.warn(
        `index file ${last.fileName} points past the valid log end ${validEnd}; rebuilding it`,
      );
      redoFrom = last.beginPhyOffset;
      last.destroy();
      this.files.pop();
    }
    if (redoFrom !== undefined) return redoFrom;
    const last = this.files[this.files.length - 1];
    return last?.hasDispatched() ? last.endPhyOffset : undefined;
  }

  /** Deletes files (never the newest) whose every entry points below `minPhysicalOffset`. */
  deleteExpiredFiles(minPhysicalOffset: number): number {
    let deleted = 0;
    while (this.files.length > 1 && this.files[0].endPhyOffset < minPhysicalOffset) {
      const file = this.files.shift() as IndexFile;
      file.destroy();
      this.logger.info(`deleted expired index file ${file.fileName}`);
      deleted++;
    }
    return deleted;
  }

  /** Writes out every file with unsaved changes; full files then drop their memory image. */
  async persist(): Promise<void> {
    for (const file of [...this.files]) {
      await file.persist();
      if (file.isWriteFull() && file.isPersisted()) file.retire();
    }
  }

  close(): void {
    for (const file of this.files) file.close();
  }
}
