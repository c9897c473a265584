import { MessageStore } from './message-store';
import { makeMessage, removeDir, smallStoreOptions, tempStoreDir } from './store-test-fixtures';

describe('MessageStore replication hooks', () => {
  let masterDir: string;
  let slaveDir: string;
  let master: MessageStore;
  let slave: MessageStore;

  beforeEach(async () => {
    masterDir = tempStoreDir('master-');
    slaveDir = tempStoreDir('slave-');
    master = await MessageStore.open(smallStoreOptions(masterDir));
    slave = await MessageStore.open(smallStoreOptions(slaveDir));
  });

  afterEach(async () => {
    await master.shutdown();
    await slave.shutdown();
    removeDir(masterDir);
    removeDir(slaveDir);
  });

  /** Ships the master's log to the slave in odd-sized pieces that split records. */
  async function replicate(): Promise<number> {
    let transfers = 0;
    while (slave.getMaxPhysicalOffset() < master.getMaxPhysicalOffset()) {
      const from = slave.getMaxPhysicalOffset();
      const data = master.getCommitLogData(from, 7777)!;
      expect(slave.appendRawCommitLogData(from, data)).toBe(true);
      transfers++;
    }
    await slave.whenDispatched();
    return transfers;
  }

  const queueContents = (store: MessageStore, queueId: number) => {
    const records: Buffer[] = [];
    for (let offset = 0; ;) {
      const got = store.getMessage('g', 'TopicTest', queueId, offset, 32);
      if (got.status !== 'FOUND') return records;
      records.push(...got.messages);
      offset = got.nextBeginOffset;
    }
  };

  it('builds the same consume queues, index and messages on a slave from raw log bytes', async () => {
    for (let i = 0; i < 800; i++) {
      await master.putMessage(makeMessage({ queueId: i % 3, properties: { KEYS: `k${i}`, TAGS: 'T' } }));
    }
    const arrivals: number[] = [];
    slave.setMessageArrivingListener((_t, _q, maxOffset) => arrivals.push(maxOffset));
    expect(await replicate()).toBeGreaterThan(10);
    await master.whenDispatched();

    expect(slave.getMaxPhysicalOffset()).toBe(master.getMaxPhysicalOffset());
    for (let q = 0; q < 3; q++) {
      expect(slave.getMaxOffsetInQueue('TopicTest', q)).toBe(master.getMaxOffsetInQueue('TopicTest', q));
      const a = queueContents(master, q);
      const b = queueContents(slave, q);
      expect(b).toHaveLength(a.length);
      b.forEach((record, i) => expect(record.equals(a[i])).toBe(true));
    }
    expect(arrivals).toHaveLength(800);
    expect(slave.queryMessage('TopicTest', 'k42', 32, 0, Date.now() + 1000).messages).toHaveLength(1);
  });

  it('refuses bytes that do not continue exactly at the end of its log, and survives a restart', async () => {
    for (let i = 0; i < 50; i++) await master.putMessage(makeMessage());
    await replicate();
    const end = slave.getMaxPhysicalOffset();
    expect(slave.appendRawCommitLogData(end + 1, Buffer.alloc(10))).toBe(false);
    expect(slave.appendRawCommitLogData(0, master.getCommitLogData(0, 100)!)).toBe(false);

    await slave.shutdown();
    slave = await MessageStore.open(smallStoreOptions(slaveDir));
    expect(slave.getMaxOffsetInQueue('TopicTest', 0)).toBe(50);
    for (let i = 0; i < 10; i++) await master.putMessage(makeMessage());
    await replicate();
    expect(slave.getMaxOffsetInQueue('TopicTest', 0)).toBe(60);
  });
});
