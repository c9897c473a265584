/**
 * StoreCheckpoint: the 4 KiB "checkpoint" file that tells recovery how far things were safely on
 * disk (rocketmq-facts.md §4.5).
 *
 * Interview question: "After a crash, where does RocketMQ start checking the log?" — from the
 * point the checkpoint vouches for; everything before it was fsynced, only what follows is
 * validated record by record.
 *
 * Layout (int64 big-endian): physicMsgTimestamp @0, logicsMsgTimestamp @8, indexMsgTimestamp @16 —
 * as in RocketMQ — plus two fields of ours (5.x uses @24/@32 for replication offsets instead):
 *   physicFlushedOffset @24  CommitLog offset known to be fsynced;
 *   logicsDispatchedOffset @32  CommitLog offset below which every ConsumeQueue and IndexFile
 *                               entry was fsynced.
 * Recovery decides by these offsets, which are exact, rather than by timestamps minus 3 s.
 */
import * as fs from 'node:fs';
import { readInt64BE, writeInt64BE } from './protocol';
import { datasync, readFullySync, writeFully } from './positional-io';

const CHECKPOINT_SIZE = 4096;

export class StoreCheckpoint {
  physicMsgTimestamp = 0;
  logicsMsgTimestamp = 0;
  indexMsgTimestamp = 0;
  physicFlushedOffset = 0;
  logicsDispatchedOffset = 0;
  /** false when the file did not exist: recovery must not trust the zeros above. */
  readonly existed: boolean;

  private readonly page = Buffer.alloc(CHECKPOINT_SIZE);
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly fd: number,
    existed: boolean,
  ) {
    this.existed = existed;
  }

  static open(filePath: string): StoreCheckpoint {
    const existed = fs.existsSync(filePath);
    const fd = fs.openSync(filePath, existed ? 'r+' : 'w+');
    const checkpoint = new StoreCheckpoint(fd, existed);
    if (existed) checkpoint.load();
    return checkpoint;
  }

  private load(): void {
    readFullySync(this.fd, this.page, 0, CHECKPOINT_SIZE, 0);
    this.physicMsgTimestamp = readInt64BE(this.page, 0);
    this.logicsMsgTimestamp = readInt64BE(this.page, 8);
    this.indexMsgTimestamp = readInt64BE(this.page, 16);
    this.physicFlushedOffset = readInt64BE(this.page, 24);
    this.logicsDispatchedOffset = readInt64BE(this.page, 32);
  }

  /** The smaller of the two timestamps: what RocketMQ's abnormal recovery compares against. */
  getMinTimestamp(): number {
    return Math.max(0, Math.min(this.physicMsgTimestamp, this.logicsMsgTimestamp) - 3000);
  }

  /** Writes the page and fsyncs it; calls are serialized. */
  flush(): Promise<void> {
    this.writing = this.writing.catch(() => undefined).then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    writeInt64BE(this.page, this.physicMsgTimestamp, 0);
    writeInt64BE(this.page, this.logicsMsgTimestamp, 8);
    writeInt64BE(this.page, this.indexMsgTimestamp, 16);
    writeInt64BE(this.page, this.physicFlushedOffset, 24);
    writeInt64BE(this.page, this.logicsDispatchedOffset, 32);
    await writeFully(this.fd, this.page, 0, CHECKPOINT_SIZE, 0);
    await datasync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
