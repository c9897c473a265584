import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BLANK_MAGIC_CODE,
  createOffsetMessageId,
  javaStringHashCode,
  MessageSysFlag,
} from '@flashsale/mq/protocol';
import { MessageStore } from './message-store';
import { type MessageStoreOptions } from './message-store.config';
import {
  decodeRecord,
  makeMessage,
  removeDir,
  smallStoreOptions,
  tempStoreDir,
  waitFor,
} from './store-test-fixtures';

describe('MessageStore: put and get', () => {
  let dir: string;
  let store: MessageStore;

  async function openStore(overrides: Partial<MessageStoreOptions> = {}): Promise<MessageStore> {
    store = await MessageStore.open(smallStoreOptions(dir, overrides));
    return store;
  }

  beforeEach(() => {
    dir = tempStoreDir();
  });

  afterEach(async () => {
    await store?.shutdown();
    removeDir(dir);
  });

  it('round-trips a message byte for byte and assigns offsets, store time and msgId', async () => {
    await openStore();
    const msg = makeMessage({ flag: 7, properties: { TAGS: 'TagA', KEYS: 'k1 k2', UNIQ_KEY: 'U1', a: 'é' } });
    const put = await store.putMessage(msg);
    expect(put.status).toBe('PUT_OK');
    const append = put.appendResult!;
    expect(append.wroteOffset).toBe(0);
    expect(append.queueOffset).toBe(0);
    expect(append.msgId).toBe(createOffsetMessageId({ host: '127.0.0.1', port: 10911 }, 0));
    await store.whenDispatched();

    const got = store.getMessage('g', 'TopicTest', 0, 0, 32);
    expect(got).toMatchObject({ status: 'FOUND', nextBeginOffset: 1, minOffset: 0, maxOffset: 1 });
    expect(got.bufferTotalSize).toBe(append.wroteBytes);
    const decoded = decodeRecord(got.messages[0]);
    expect(decoded.body.equals(msg.body)).toBe(true);
    expect(decoded).toMatchObject({
      topic: 'TopicTest',
      queueId: 0,
      flag: 7,
      properties: msg.properties,
      bornTimestamp: msg.bornTimestamp,
      bornHost: msg.bornHost,
      storeHost: { host: '127.0.0.1', port: 10911 },
      storeTimestamp: append.storeTimestamp,
      queueOffset: 0,
      commitLogOffset: 0,
      storeSize: append.wroteBytes,
    });
    expect(store.selectOneMessageByOffset(0)!.equals(got.messages[0])).toBe(true);
    expect(store.lookMessageByOffset(0)!.properties).toEqual(msg.properties);
    expect(store.lookMessageByOffset(1)).toBeUndefined();
  });

  it('gives consecutive queue offsets per queue, independent across queues and topics', async () => {
    await openStore();
    const offsets: Record<string, number[]> = {};
    for (let i = 0; i < 30; i++) {
      const topic = i % 5 === 0 ? 'Other' : 'TopicTest';
      const queueId = i % 3;
      const r = await store.putMessage(makeMessage({ topic, queueId }));
      (offsets[`${topic}-${queueId}`] ??= []).push(r.appendResult!.queueOffset);
    }
    for (const list of Object.values(offsets)) expect(list).toEqual(list.map((_, i) => i));
    await store.whenDispatched();
    expect(store.getMaxOffsetInQueue('TopicTest', 1)).toBe(offsets['TopicTest-1'].length);
    expect(store.getConsumeQueueTopics()).toEqual(
      new Map([
        ['TopicTest', [0, 1, 2]],
        ['Other', [0, 1, 2]],
      ]),
    );
  });

  it('rolls to a new segment behind a BLANK marker and reads across segments', async () => {
    await openStore();
    const bodies: Buffer[] = [];
    for (let i = 0; i < 700; i++) {
      const body = Buffer.alloc(200 + (i % 50), i % 256);
      bodies.push(body);
      expect((await store.putMessage(makeMessage({ body }))).status).toBe('PUT_OK');
    }
    await store.whenDispatched();
    await waitFor(() => store.getRuntimeInfo().committedPhysicalOffset === store.getMaxPhysicalOffset());
    const files = fs.readdirSync(path.join(dir, 'commitlog')).sort();
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files[0]).toBe('00000000000000000000');
    expect(files[1]).toBe('00000000000000065536');

    // Walk the first segment: records, then a blank marker covering exactly the rest of the file.
    const first = fs.readFileSync(path.join(dir, 'commitlog', files[0]));
    let pos = 0;
    while (first.readInt32BE(pos + 4) !== BLANK_MAGIC_CODE) {
      expect(first.readInt32BE(pos)).toBeGreaterThan(0);
      pos += first.readInt32BE(pos);
    }
    expect(first.readInt32BE(pos)).toBe(65536 - pos);
    expect(65536 - pos).toBeGreaterThanOrEqual(8);

    const read: Buffer[] = [];
    for (let offset = 0; ;) {
      const got = store.getMessage('g', 'TopicTest', 0, offset, 32);
      if (got.status !== 'FOUND') break;
      for (const m of got.messages) read.push(decodeRecord(m).body);
      offset = got.nextBeginOffset;
    }
    expect(read).toHaveLength(700);
    read.forEach((body, i) => expect(body.equals(bodies[i])).toBe(true));
  });

  it('answers the pull status table: logic queue missing, overflow one, overflow badly', async () => {
    await openStore();
    for (let i = 0; i < 5; i++) await store.putMessage(makeMessage());
    await store.whenDispatched();
    expect(store.getMessage('g', 'Nope', 0, 3, 32)).toMatchObject({
      status: 'NO_MATCHED_LOGIC_QUEUE',
      nextBeginOffset: 0,
    });
    expect(store.getMessage('g', 'TopicTest', 0, 5, 32)).toMatchObject({
      status: 'OFFSET_OVERFLOW_ONE',
      nextBeginOffset: 5,
      maxOffset: 5,
    });
    expect(store.getMessage('g', 'TopicTest', 0, 9, 32)).toMatchObject({
      status: 'OFFSET_OVERFLOW_BADLY',
      nextBeginOffset: 5,
    });
  });

  it('answers NO_MESSAGE_IN_QUEUE for an existing, empty queue', async () => {
    fs.mkdirSync(path.join(dir, 'consumequeue', 'Empty', '0'), { recursive: true });
    await openStore();
    expect(store.getMessage('g', 'Empty', 0, 0, 32)).toMatchObject({
      status: 'NO_MESSAGE_IN_QUEUE',
      nextBeginOffset: 0,
    });
  });

  it('answers OFFSET_FOUND_NULL with the next segment start when a consume queue file is missing', async () => {
    await openStore();
    for (let i = 0; i < 250; i++) await store.putMessage(makeMessage());
    await store.shutdown();
    fs.rmSync(path.join(dir, 'consumequeue', 'TopicTest', '0', '00000000000000002000'));
    await openStore();
    expect(store.getMessage('g', 'TopicTest', 0, 120, 32)).toMatchObject({
      status: 'OFFSET_FOUND_NULL',
      nextBeginOffset: 200,
    });
    expect(store.getMessage('g', 'TopicTest', 0, 200, 32).status).toBe('FOUND');
  });

  it('filters by tagsCode; a batch with no match is NO_MATCHED_MESSAGE and still advances', async () => {
    await openStore();
    for (const tag of ['A', 'B', 'A', 'B', 'A'])
      await store.putMessage(makeMessage({ properties: { TAGS: tag } }));
    await store.whenDispatched();
    const onlyB = (code: number) => code === javaStringHashCode('B');
    const got = store.getMessage('g', 'TopicTest', 0, 0, 32, onlyB);
    expect(got.status).toBe('FOUND');
    expect(got.messages.map((m) => decodeRecord(m).properties.TAGS)).toEqual(['B', 'B']);
    expect(got.messageQueueOffsets).toEqual([1, 3]);
    expect(got.nextBeginOffset).toBe(5);

    const none = store.getMessage('g', 'TopicTest', 0, 0, 32, (code) => code === javaStringHashCode('C'));
    expect(none).toMatchObject({ status: 'NO_MATCHED_MESSAGE', nextBeginOffset: 5, messages: [] });
  });

  it('limits a pull batch by maxMsgNums, 32 in-memory messages and the consume-queue scan', async () => {
    await openStore({ mappedFileSizeConsumeQueue: 20 * 3000 });
    for (let i = 0; i < 2000; i++) store.putMessage(makeMessage({ body: Buffer.from('x') }));
    await store.whenDispatched();
    expect(store.getMessage('g', 'TopicTest', 0, 0, 5)).toMatchObject({ nextBeginOffset: 5 });
    expect(store.getMessage('g', 'TopicTest', 0, 0, 5).messages).toHaveLength(5);
    const big = store.getMessage('g', 'TopicTest', 0, 10, 1000);
    expect(big.messages).toHaveLength(32);
    expect(big.nextBeginOffset).toBe(42);
    // A filter that matches nothing scans at most max(16000, 32 × 20) bytes = 800 entries.
    expect(store.getMessage('g', 'TopicTest', 0, 0, 32, () => false).nextBeginOffset).toBe(800);
    expect(store.getMessage('g', 'TopicTest', 0, 0, 1000, () => false).nextBeginOffset).toBe(1000);
  });

  it('limits an in-memory pull batch to 256 KiB', async () => {
    await openStore({ mappedFileSizeCommitLog: 4 * 1024 * 1024 });
    for (let i = 0; i < 5; i++) await store.putMessage(makeMessage({ body: Buffer.alloc(100 * 1024, i) }));
    await store.whenDispatched();
    const got = store.getMessage('g', 'TopicTest', 0, 0, 32);
    expect(got.messages).toHaveLength(2);
    expect(got.nextBeginOffset).toBe(2);
    expect(got.bufferTotalSize).toBeLessThanOrEqual(256 * 1024);
  });

  it('stores a batch contiguously with consecutive queue offsets', async () => {
    await openStore();
    await store.putMessage(makeMessage());
    const batch = [makeMessage(), makeMessage(), makeMessage()];
    const r = await store.putMessages(batch);
    expect(r.status).toBe('PUT_OK');
    expect(r.appendResult).toMatchObject({ queueOffset: 1, msgNum: 3 });
    expect(r.appendResult!.msgIds).toHaveLength(3);
    expect(r.appendResult!.msgId).toBe(r.appendResult!.msgIds.join(','));
    await store.whenDispatched();
    const got = store.getMessage('g', 'TopicTest', 0, 1, 32);
    expect(got.messages.map((m) => decodeRecord(m).body.toString())).toEqual(
      batch.map((m) => m.body.toString()),
    );
    expect(got.messages.map((m) => decodeRecord(m).queueOffset)).toEqual([1, 2, 3]);
    expect((await store.putMessages([makeMessage(), makeMessage({ queueId: 1 })])).status).toBe(
      'MESSAGE_ILLEGAL',
    );
  });

  it('rejects what cannot be stored with RocketMQ statuses', async () => {
    await openStore({ maxMessageSize: 8 * 1024 });
    expect((await store.putMessage(makeMessage({ topic: 'T'.repeat(128) }))).status).toBe('MESSAGE_ILLEGAL');
    expect((await store.putMessage(makeMessage({ properties: { big: 'x'.repeat(33000) } }))).status).toBe(
      'PROPERTIES_SIZE_EXCEEDED',
    );
    expect((await store.putMessage(makeMessage({ body: Buffer.alloc(9000) }))).status).toBe(
      'MESSAGE_ILLEGAL',
    );
    expect((await store.putMessage(makeMessage({ queueId: -1 }))).status).toBe('MESSAGE_ILLEGAL');
    expect(store.getRuntimeInfo().putMessageFailedTimes).toBe(4);
    await store.shutdown();
    expect((await store.putMessage(makeMessage())).status).toBe('SERVICE_NOT_AVAILABLE');
  });

  it('gives prepared and rollback transaction records no queue offset and no consume-queue entry', async () => {
    await openStore();
    const half = await store.putMessage(makeMessage({ sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE }));
    const a = await store.putMessage(makeMessage());
    const rollback = await store.putMessage(
      makeMessage({ sysFlag: MessageSysFlag.TRANSACTION_ROLLBACK_TYPE }),
    );
    const commit = await store.putMessage(makeMessage({ sysFlag: MessageSysFlag.TRANSACTION_COMMIT_TYPE }));
    expect([half, a, rollback, commit].map((r) => r.appendResult!.queueOffset)).toEqual([0, 0, 0, 1]);
    await store.whenDispatched();
    expect(store.getMaxOffsetInQueue('TopicTest', 0)).toBe(2);
    const got = store.getMessage('g', 'TopicTest', 0, 0, 32);
    expect(got.messages.map((m) => decodeRecord(m).commitLogOffset)).toEqual([
      a.appendResult!.wroteOffset,
      commit.appendResult!.wroteOffset,
    ]);
    expect(store.lookMessageByOffset(half.appendResult!.wroteOffset)?.sysFlag).toBe(0x4);
  });
});

describe('MessageStore: dispatch, index and lookups', () => {
  let dir: string;
  let store: MessageStore;

  beforeEach(async () => {
    dir = tempStoreDir();
    store = await MessageStore.open(smallStoreOptions(dir));
  });

  afterEach(async () => {
    await store.shutdown();
    removeDir(dir);
  });

  it('notifies the arrival listener with the new max offset of each queue', async () => {
    const arrivals: [string, number, number, number][] = [];
    store.setMessageArrivingListener((topic, queueId, maxOffset, tagsCode) =>
      arrivals.push([topic, queueId, maxOffset, tagsCode]),
    );
    await store.putMessage(makeMessage({ queueId: 2, properties: { TAGS: 'TagA' } }));
    await store.putMessage(makeMessage({ queueId: 2, properties: {} }));
    await store.putMessage(makeMessage({ sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE }));
    await store.whenDispatched();
    expect(arrivals).toEqual([
      ['TopicTest', 2, 1, javaStringHashCode('TagA')],
      ['TopicTest', 2, 2, 0],
    ]);
  });

  it('finds messages by KEYS and by UNIQ_KEY, newest first, re-checking the real key', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) {
      const properties = { KEYS: `order-${i % 10} all`, UNIQ_KEY: `UNIQ-${i}` };
      ids.push((await store.putMessage(makeMessage({ properties }))).appendResult!.wroteOffset);
    }
    const last = await store.putMessage(makeMessage({ topic: 'Other', properties: { KEYS: 'order-3' } }));
    await store.whenDispatched();
    const end = Date.now() + 1000;

    const byKey = store.queryMessage('TopicTest', 'order-3', 64, 0, end);
    expect(byKey.messages.map((m) => decodeRecord(m).commitLogOffset)).toEqual(
      ids.filter((_, i) => i % 10 === 3).reverse(),
    );
    const byUniq = store.queryMessage('TopicTest', 'UNIQ-123', 32, 0, end);
    expect(byUniq.messages.map((m) => decodeRecord(m).properties.UNIQ_KEY)).toEqual(['UNIQ-123']);
    expect(store.queryMessage('TopicTest', 'all', 1000, 0, end).messages).toHaveLength(64);
    expect(store.queryMessage('TopicTest', 'missing', 32, 0, end).messages).toHaveLength(0);
    expect(store.queryMessage('TopicTest', 'order-3', 32, end, end + 1000).messages).toHaveLength(0);
    expect(byKey.indexLastUpdatePhyoffset).toBe(last.appendResult!.wroteOffset);
    expect(byKey.indexLastUpdateTimestamp).toBe(last.appendResult!.storeTimestamp);
  });

  it('finds the closest queue offset by store time, and the store time of an offset', async () => {
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++)
        times.push((await store.putMessage(makeMessage())).appendResult!.storeTimestamp);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await store.whenDispatched();
    expect(store.getMessageStoreTimestamp('TopicTest', 0, 4)).toBe(times[4]);
    expect(store.getEarliestMessageTime('TopicTest', 0)).toBe(times[0]);
    expect(store.getOffsetInQueueByTime('TopicTest', 0, times[3])).toBe(times.indexOf(times[3]));
    expect(store.getOffsetInQueueByTime('TopicTest', 0, 0)).toBe(0);
    expect(store.getOffsetInQueueByTime('TopicTest', 0, times[8] + 100_000)).toBe(8);
    const nearSecond = times[3] - 2;
    expect(store.getOffsetInQueueByTime('TopicTest', 0, nearSecond)).toBe(times.indexOf(times[3]));
    const nearFirst = times[2] + 2;
    expect(store.getOffsetInQueueByTime('TopicTest', 0, nearFirst)).toBe(times.lastIndexOf(times[2]));
    expect(store.getOffsetInQueueByTime('Nope', 0, 0)).toBe(0);
  });
});
