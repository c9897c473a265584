import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChunkCache } from './chunk-cache';
import { MappedFileQueue } from './mapped-file-queue';
import { silentLogger } from './store-logger';
import { removeDir, tempStoreDir } from './store-test-fixtures';

const FILE_SIZE = 4096;

function filled(length: number, byte: number): Buffer {
  return Buffer.alloc(length, byte);
}

/** How many leading bytes of `actual` equal `expected`'s. */
function matchingPrefix(actual: Buffer, expected: Buffer): number {
  let n = 0;
  while (n < actual.length && n < expected.length && actual[n] === expected[n]) n++;
  return n;
}

/** What the segment file starting at `fromOffset` holds on disk (not in memory). */
function onDisk(queue: MappedFileQueue, fromOffset: number): Buffer {
  const file = queue.mappedFiles.find((f) => f.fileFromOffset === fromOffset);
  if (!file) throw new Error(`no segment at ${fromOffset}`);
  return fs.readFileSync(file.filePath);
}

describe('MappedFileQueue commit', () => {
  let dir: string;
  let queue: MappedFileQueue;

  beforeEach(() => {
    dir = tempStoreDir('mfq-');
    queue = new MappedFileQueue(
      path.join(dir, 'commitlog'),
      FILE_SIZE,
      FILE_SIZE,
      new ChunkCache(1 << 20),
      silentLogger,
    );
  });

  afterEach(() => {
    queue.close();
    removeDir(dir);
  });

  it('never reports bytes as committed past a hole: a segment filled while its write was in flight', async () => {
    queue.getLastMappedFileOrCreate(0).appendBytes(filled(100, 1));
    // The commit takes its target (100) now and writes in the background...
    const firstPass = queue.commit();
    // ...while appends fill segment 0 and roll into segment 1.
    queue.getLastMappedFileOrCreate(0).appendBytes(filled(FILE_SIZE - 100, 2));
    queue.getLastMappedFileOrCreate(0).appendBytes(filled(50, 3));
    await firstPass;
    await queue.flush();

    // committedWhere (and flushedWhere, which follows it) vouch for the bytes below them: those
    // bytes must really be in the files.
    expect(queue.flushedWhere).toBeLessThanOrEqual(queue.committedWhere);
    const segment0 = Buffer.concat([filled(100, 1), filled(FILE_SIZE - 100, 2)]);
    expect(matchingPrefix(onDisk(queue, 0), segment0)).toBeGreaterThanOrEqual(
      Math.min(queue.committedWhere, FILE_SIZE),
    );

    // Later passes write the rest, including segment 0's tail.
    while (queue.hasUncommitted()) await queue.commit();
    expect(queue.committedWhere).toBe(FILE_SIZE + 50);
    expect(matchingPrefix(onDisk(queue, 0), segment0)).toBe(FILE_SIZE);
    expect(matchingPrefix(onDisk(queue, FILE_SIZE), filled(50, 3))).toBe(50);
  });
});
