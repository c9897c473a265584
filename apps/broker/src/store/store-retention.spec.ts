import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageStore } from './message-store';
import {
  decodeRecord,
  makeMessage,
  removeDir,
  smallStoreOptions,
  tempStoreDir,
  waitFor,
} from './store-test-fixtures';

describe('MessageStore retention', () => {
  let dir: string;
  let store: MessageStore;

  beforeEach(async () => {
    dir = tempStoreDir();
    store = await MessageStore.open(smallStoreOptions(dir, { fileReservedTime: 0 }));
    for (let i = 0; i < 1200; i++) {
      await store.putMessage(
        makeMessage({ queueId: i % 2, body: Buffer.alloc(150, i), properties: { KEYS: `k${i}` } }),
      );
    }
    await store.whenDispatched();
    await waitFor(() => store.getFlushedPhysicalOffset() === store.getMaxPhysicalOffset());
  });

  afterEach(async () => {
    await store.shutdown();
    removeDir(dir);
  });

  const commitLogFiles = () => fs.readdirSync(path.join(dir, 'commitlog')).sort();

  it('deletes expired segments (never the active one) and moves the queues minimum offsets', async () => {
    const before = commitLogFiles();
    expect(before.length).toBeGreaterThanOrEqual(4);
    const cqFilesBefore = fs.readdirSync(path.join(dir, 'consumequeue', 'TopicTest', '0')).length;
    const indexFilesBefore = fs.readdirSync(path.join(dir, 'index')).length;

    expect(store.deleteExpiredFiles(Date.now() - 60_000)).toBe(0); // nothing older than "now - 1 min"
    const deleted = store.deleteExpiredFiles(Date.now() + 1000);
    expect(deleted).toBe(before.length - 1);
    expect(commitLogFiles()).toEqual([before[before.length - 1]]);

    const minPhy = store.getMinPhysicalOffset();
    expect(minPhy).toBe(Number(before[before.length - 1]));
    const min = store.getMinOffsetInQueue('TopicTest', 0);
    expect(min).toBeGreaterThan(0);
    expect(store.getMessage('g', 'TopicTest', 0, 0, 32)).toMatchObject({
      status: 'OFFSET_TOO_SMALL',
      nextBeginOffset: min,
    });
    const first = store.getMessage('g', 'TopicTest', 0, min, 32);
    expect(first.status).toBe('FOUND');
    expect(decodeRecord(first.messages[0]).commitLogOffset).toBeGreaterThanOrEqual(minPhy);
    if (min > 0) {
      const previous = store.getMessageStoreTimestamp('TopicTest', 0, min - 1);
      expect(previous === -1 || min - 1 < store.getMinOffsetInQueue('TopicTest', 0)).toBe(true);
    }
    expect(fs.readdirSync(path.join(dir, 'consumequeue', 'TopicTest', '0')).length).toBeLessThan(
      cqFilesBefore,
    );
    expect(fs.readdirSync(path.join(dir, 'index')).length).toBeLessThan(indexFilesBefore);
    expect(store.queryMessage('TopicTest', 'k0', 32, 0, Date.now()).messages).toHaveLength(0);
    expect(store.queryMessage('TopicTest', 'k1199', 32, 0, Date.now()).messages).toHaveLength(1);

    // The minimum survives a restart, and writing continues at the end.
    const max = store.getMaxOffsetInQueue('TopicTest', 0);
    await store.shutdown();
    store = await MessageStore.open(smallStoreOptions(dir, { fileReservedTime: 0 }));
    expect(store.getMinOffsetInQueue('TopicTest', 0)).toBe(min);
    expect((await store.putMessage(makeMessage())).appendResult!.queueOffset).toBe(max);
  });

  it('answers MESSAGE_WAS_REMOVING while consume queues still point into deleted segments', () => {
    store.deleteExpiredFiles(Date.now() + 1000, { cleanConsumeQueues: false });
    const got = store.getMessage('g', 'TopicTest', 0, 0, 32);
    expect(got.status).toBe('MESSAGE_WAS_REMOVING');
    expect(got.nextBeginOffset).toBeGreaterThan(0);
    store.cleanConsumeQueues();
    expect(store.getMessage('g', 'TopicTest', 0, 0, 32).status).toBe('OFFSET_TOO_SMALL');
  });
});
