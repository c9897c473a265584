/**
 * Helpers for the store's tests: a temporary store directory, small segment sizes that make
 * rolling and retention happen after a few messages, and a message factory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeStoredMessage, type MessageRecord } from '@flashsale/mq/protocol';
import { type MessageStoreOptions } from './message-store.config';

export function tempStoreDir(prefix = 'store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Tiny files: a 64 KiB CommitLog segment holds ~400 small messages, a CQ segment 100 entries. */
export function smallStoreOptions(
  dir: string,
  overrides: Partial<MessageStoreOptions> = {},
): MessageStoreOptions {
  return {
    storePathRootDir: dir,
    mappedFileSizeCommitLog: 64 * 1024,
    mappedFileSizeConsumeQueue: 100 * 20,
    writeChunkSize: 16 * 1024,
    maxHashSlotNum: 64,
    maxIndexNum: 400,
    flushIntervalCommitLog: 20,
    flushIntervalConsumeQueue: 20,
    storeHost: { host: '127.0.0.1', port: 10911 },
    ...overrides,
  };
}

let counter = 0;

export function makeMessage(overrides: Partial<MessageRecord> = {}): MessageRecord {
  counter++;
  return {
    topic: 'TopicTest',
    queueId: 0,
    flag: 0,
    body: Buffer.from(`hello ${counter}`),
    properties: { TAGS: 'TagA', UNIQ_KEY: `UNIQ${String(counter).padStart(12, '0')}` },
    sysFlag: 0,
    bornTimestamp: 1_700_000_000_000 + counter,
    bornHost: { host: '10.0.0.1', port: 50000 },
    storeTimestamp: 0,
    storeHost: { host: '127.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    queueOffset: 0,
    commitLogOffset: 0,
    ...overrides,
  };
}

/** Decodes one raw record returned by the store; fails the test if it does not decode. */
export function decodeRecord(buf: Buffer): MessageRecord {
  const decoded = decodeStoredMessage(buf, 0, { checkCRC: true });
  if (decoded.status !== 'OK') throw new Error(`record does not decode: ${JSON.stringify(decoded)}`);
  return decoded.message;
}

/** Polls `condition` every few milliseconds until it holds (or fails the test after `timeoutMs`). */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
