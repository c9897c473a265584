import { GroupCommitService } from './group-commit.service';
import { type MappedFileQueue } from './mapped-file-queue';
import { MessageStore } from './message-store';
import { silentLogger } from './store-logger';
import { makeMessage, removeDir, smallStoreOptions, tempStoreDir } from './store-test-fixtures';

describe('SYNC_FLUSH group commit', () => {
  let dir: string;
  let store: MessageStore;

  beforeEach(async () => {
    dir = tempStoreDir();
    store = await MessageStore.open(
      smallStoreOptions(dir, { flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: 1024 * 1024 }),
    );
  });

  afterEach(async () => {
    await store.shutdown();
    removeDir(dir);
  });

  it('acknowledges 500 concurrent puts with far fewer than 500 fsyncs, each after its bytes are on disk', async () => {
    const before = store.getRuntimeInfo().commitLogFsyncCount;
    const flushedAtAck: boolean[] = [];
    const puts = Array.from({ length: 500 }, (_, i) =>
      store.putMessage(makeMessage({ queueId: i % 4 })).then((r) => {
        const end = r.appendResult!.wroteOffset + r.appendResult!.wroteBytes;
        flushedAtAck.push(store.getFlushedPhysicalOffset() >= end);
        return r;
      }),
    );
    const results = await Promise.all(puts);
    const fsyncs = store.getRuntimeInfo().commitLogFsyncCount - before;
    console.log(`500 concurrent SYNC_FLUSH puts cost ${fsyncs} fsync(s)`);

    expect(results.every((r) => r.status === 'PUT_OK')).toBe(true);
    expect(flushedAtAck.every(Boolean)).toBe(true);
    expect(fsyncs).toBeGreaterThan(0);
    expect(fsyncs).toBeLessThan(100);
  });

  it('does not wait for the fsync when the message says WAIT=false', async () => {
    const r = await store.putMessage(makeMessage({ properties: { WAIT: 'false' } }));
    expect(r.status).toBe('PUT_OK');
    expect(store.getFlushedPhysicalOffset()).toBeLessThan(
      r.appendResult!.wroteOffset + r.appendResult!.wroteBytes,
    );
    // ...but the flush still happens soon after.
    await store.putMessage(makeMessage());
    expect(store.getFlushedPhysicalOffset()).toBe(store.getMaxPhysicalOffset());
  });
});

describe('GroupCommitService', () => {
  it('answers false after syncFlushTimeout when the disk does not complete the flush', async () => {
    // A log whose write never completes: stands in for a hung disk.
    const hungLog = {
      flushedWhere: 0,
      committedWhere: 0,
      hasUncommitted: () => true,
      commit: () => new Promise<number>(() => undefined),
      flush: () => Promise.resolve(false),
    } as unknown as MappedFileQueue;
    const service = new GroupCommitService(hungLog, 30, silentLogger);
    const started = Date.now();
    await expect(service.request(100)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
