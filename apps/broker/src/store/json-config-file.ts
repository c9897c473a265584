/**
 * A JSON file the broker rewrites whole (config/topics.json, consumerOffset.json, ...), written the
 * way RocketMQ's `MixAll.string2File` does it: new content to `<file>.tmp`, the previous content
 * kept as `<file>.bak`, then the rename that makes the new version current. A crash at any point
 * leaves either the old or the new file, and load() falls back to the .bak if the main file is
 * missing or unparseable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type StoreLogger, silentLogger } from './store-logger';

export class JsonConfigFile<T> {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly filePath: string,
    private readonly logger: StoreLogger = silentLogger,
  ) {}

  /** The current content, else the backup, else undefined. */
  load(): T | undefined {
    return this.readJson(this.filePath) ?? this.readJson(`${this.filePath}.bak`);
  }

  private readJson(file: string): T | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      this.logger.warn(`${file} is not valid JSON (${String(err)})`);
      return undefined;
    }
  }

  /** Replaces the file; calls are serialized, so the last call's data wins. */
  persist(data: T): Promise<void> {
    const text = JSON.stringify(data, null, 2);
    this.writing = this.writing.catch(() => undefined).then(() => this.write(text));
    return this.writing;
  }

  /** The same, synchronously (for shutdown paths). */
  persistSync(data: T): void {
    const text = JSON.stringify(data, null, 2);
    const tmp = `${this.filePath}.tmp`;
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, text);
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (fs.existsSync(this.filePath)) fs.copyFileSync(this.filePath, `${this.filePath}.bak`);
    fs.renameSync(tmp, this.filePath);
  }

  private async write(text: string): Promise<void> {
    const tmp = `${this.filePath}.tmp`;
    await fs.promises.mkdir(path.dirname(this.filePath), { recursive: true });
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    try {
      await fs.promises.copyFile(this.filePath, `${this.filePath}.bak`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await fs.promises.rename(tmp, this.filePath);
  }
}
