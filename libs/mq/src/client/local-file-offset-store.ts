/**
 * Offsets of a broadcasting consumer, kept in a local file (`LocalFileOffsetStore`).
 *
 * Interview question: "Clustering vs broadcasting?" — in clustering mode a group shares the queues
 * and the broker keeps one offset per queue for the group; in broadcasting mode every consumer reads
 * every queue, so each keeps its own progress locally, in
 * `<offsetStoreDir>/<clientId>/<group>/offsets.json` (default dir `~/.rocketmq_offsets`). The file is
 * written to a temp file and renamed so that a crash never leaves half a file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import { type MessageQueue, messageQueueKey } from './message';
import { OFFSET_NOT_FOUND, type OffsetStore, type ReadOffsetType } from './offset-store';

interface OffsetFile {
  offsetTable: Record<string, { topic: string; brokerName: string; queueId: number; offset: number }>;
}

export function defaultOffsetStoreDir(): string {
  return process.env.ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR ?? path.join(homedir(), '.rocketmq_offsets');
}

export class LocalFileOffsetStore implements OffsetStore {
  readonly filePath: string;
  private readonly table = new Map<string, { mq: MessageQueue; offset: number }>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    baseDir: string,
    clientId: string,
    group: string,
    private readonly logger: ClientLogger,
  ) {
    this.filePath = path.join(baseDir, clientId, group, 'offsets.json');
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = JSON.parse(text) as OffsetFile;
    for (const entry of Object.values(parsed.offsetTable ?? {})) {
      const mq = { topic: entry.topic, brokerName: entry.brokerName, queueId: entry.queueId };
      this.table.set(messageQueueKey(mq), { mq, offset: entry.offset });
    }
  }

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const key = messageQueueKey(mq);
    const entry = this.table.get(key);
    if (entry === undefined) this.table.set(key, { mq, offset });
    else if (!increaseOnly || offset > entry.offset) entry.offset = offset;
  }

  memoryOffset(mq: MessageQueue): number {
    return this.table.get(messageQueueKey(mq))?.offset ?? -1;
  }

  async readOffset(mq: MessageQueue, _type: ReadOffsetType): Promise<number> {
    // The file was loaded at start and every update goes to memory first: both views are the same.
    const offset = this.memoryOffset(mq);
    return offset >= 0 ? offset : OFFSET_NOT_FOUND;
  }

  /** Writes the whole table (offsets of queues not in `mqs` are kept: they may come back). */
  persistAll(_mqs: readonly MessageQueue[]): Promise<void> {
    // Writes are serialized so that an older snapshot can never be renamed over a newer one.
    this.writing = this.writing.then(() => this.writeFile());
    return this.writing;
  }

  persist(mq: MessageQueue): Promise<void> {
    return this.persistAll([mq]);
  }

  removeOffset(_mq: MessageQueue): void {
    // Broadcasting consumers own every queue; nothing to hand over.
  }

  private async writeFile(): Promise<void> {
    const content: OffsetFile = { offsetTable: {} };
    for (const [key, { mq, offset }] of this.table) content.offsetTable[key] = { ...mq, offset };
    const tmp = `${this.filePath}.tmp`;
    try {
      await mkdir(path.dirname(this.filePath), { recursive: true });
      await writeFile(tmp, JSON.stringify(content, null, 2));
      await rename(tmp, this.filePath);
    } catch (error) {
      this.logger.warn(`writing offsets to ${this.filePath} failed: ${errorMessage(error)}`);
    }
  }
}
