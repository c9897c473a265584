import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { silentClientLogger } from './client-logger';
import { LocalFileOffsetStore } from './local-file-offset-store';
import { type MessageExt } from './message';
import { ProcessQueue } from './process-queue';

const mq = (queueId: number) => ({ topic: 'T', brokerName: 'broker-a', queueId });

describe('LocalFileOffsetStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'offset-store-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('persists offsets to <dir>/<clientId>/<group>/offsets.json and loads them back', async () => {
    const store = new LocalFileOffsetStore(dir, '10.0.0.1@app', 'group-1', silentClientLogger);
    await store.load();
    expect(await store.readOffset(mq(0), 'STORE')).toBe(-1);
    store.updateOffset(mq(0), 10, false);
    store.updateOffset(mq(1), 3, false);
    store.updateOffset(mq(0), 7, true);
    await store.persistAll([mq(0), mq(1)]);

    const file = path.join(dir, '10.0.0.1@app', 'group-1', 'offsets.json');
    const content = JSON.parse(await readFile(file, 'utf8'));
    expect(content.offsetTable['T@broker-a@0']).toEqual({ ...mq(0), offset: 10 });

    const reloaded = new LocalFileOffsetStore(dir, '10.0.0.1@app', 'group-1', silentClientLogger);
    await reloaded.load();
    expect(await reloaded.readOffset(mq(0), 'STORE')).toBe(10);
    expect(reloaded.memoryOffset(mq(1))).toBe(3);
  });

  it('serializes concurrent writes so the newest snapshot wins', async () => {
    const store = new LocalFileOffsetStore(dir, 'c', 'g', silentClientLogger);
    const writes: Promise<void>[] = [];
    for (let offset = 1; offset <= 20; offset++) {
      store.updateOffset(mq(0), offset, true);
      writes.push(store.persistAll([mq(0)]));
    }
    await Promise.all(writes);
    const content = JSON.parse(await readFile(store.filePath, 'utf8'));
    expect(content.offsetTable['T@broker-a@0'].offset).toBe(20);
  });
});

const message = (queueOffset: number, size = 10) => ({ queueOffset, body: Buffer.alloc(size) }) as MessageExt;

describe('ProcessQueue', () => {
  it('commits the smallest offset still in flight, or max + 1 when empty', () => {
    const pq = new ProcessQueue();
    const messages = [100, 101, 102, 103].map((offset) => message(offset));
    pq.putMessages(messages);
    expect(pq.msgCount).toBe(4);
    expect(pq.msgSize).toBe(40);
    // 102 and 103 finish first: 100 is still being consumed, so only 100 may be committed.
    expect(pq.removeMessages([messages[2], messages[3]])).toBe(100);
    expect(pq.removeMessages([messages[0]])).toBe(101);
    expect(pq.removeMessages([messages[1]])).toBe(104);
    expect(pq.msgCount).toBe(0);
    expect(pq.msgSize).toBe(0);
    expect(pq.removeMessages([messages[1]])).toBe(-1);
  });

  it('ignores duplicates and keeps order for a late lower offset', () => {
    const pq = new ProcessQueue();
    pq.putMessages([message(5), message(6)]);
    pq.putMessages([message(6), message(3)]);
    expect(pq.msgCount).toBe(3);
    expect(pq.minOffset()).toBe(3);
    expect(pq.removeMessages([message(3)])).toBe(5);
  });

  it('stays correct over many messages', () => {
    const pq = new ProcessQueue();
    const all = Array.from({ length: 5000 }, (_, i) => message(i, 1));
    pq.putMessages(all);
    for (let i = 0; i < 4999; i++) expect(pq.removeMessages([all[i]])).toBe(i + 1);
    expect(pq.removeMessages([all[4999]])).toBe(5000);
  });
});
