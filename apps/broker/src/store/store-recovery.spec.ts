import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeStoredMessage } from '@flashsale/mq/protocol';
import { MessageStore } from './message-store';
import {
  decodeRecord,
  makeMessage,
  removeDir,
  smallStoreOptions,
  tempStoreDir,
  waitFor,
} from './store-test-fixtures';

function readQueue(store: MessageStore, topic: string, queueId: number): Buffer[] {
  const records: Buffer[] = [];
  for (let offset = store.getMinOffsetInQueue(topic, queueId); ;) {
    const got = store.getMessage('g', topic, queueId, offset, 32);
    if (got.status !== 'FOUND') return records;
    records.push(...got.messages);
    offset = got.nextBeginOffset;
  }
}

function lastSegment(dir: string): string {
  const files = fs.readdirSync(path.join(dir, 'commitlog')).sort();
  return path.join(dir, 'commitlog', files[files.length - 1]);
}

describe('MessageStore recovery', () => {
  let dir: string;
  let store: MessageStore | undefined;

  beforeEach(() => {
    dir = tempStoreDir();
  });

  afterEach(async () => {
    await store?.shutdown();
    store = undefined;
    removeDir(dir);
  });

  async function writeAndClose(count: number): Promise<{ end: number; bodies: string[] }> {
    const s = await MessageStore.open(smallStoreOptions(dir));
    const bodies: string[] = [];
    for (let i = 0; i < count; i++) {
      const msg = makeMessage({ queueId: i % 2, properties: { KEYS: `k${i}` } });
      bodies.push(msg.body.toString());
      await s.putMessage(msg);
    }
    const end = s.getMaxPhysicalOffset();
    await s.shutdown();
    return { end, bodies };
  }

  it('reopens after a clean shutdown with every message, index and offset in place', async () => {
    const { end, bodies } = await writeAndClose(900);
    expect(fs.existsSync(path.join(dir, 'abort'))).toBe(false);
    store = await MessageStore.open(smallStoreOptions(dir));
    expect(store.getMaxPhysicalOffset()).toBe(end);
    const all = [...readQueue(store, 'TopicTest', 0), ...readQueue(store, 'TopicTest', 1)];
    expect(all.map((r) => decodeRecord(r).body.toString()).sort()).toEqual([...bodies].sort());
    expect(store.queryMessage('TopicTest', 'k17', 32, 0, Date.now()).messages).toHaveLength(1);
    const next = await store.putMessage(makeMessage({ queueId: 1 }));
    expect(next.appendResult).toMatchObject({ wroteOffset: end, queueOffset: 450 });
  });

  const tails: [string, (end: number) => Buffer][] = [
    [
      'half of a valid record',
      (end) => encodeStoredMessage(makeMessage({ commitLogOffset: end })).subarray(0, 70),
    ],
    ['garbage bytes', () => Buffer.from('this is not a RocketMQ record at all, just garbage bytes')],
    [
      'a whole record whose body CRC does not match',
      (end) => {
        const record = encodeStoredMessage(
          makeMessage({ commitLogOffset: end, body: Buffer.from('original') }),
        );
        record[84 + 4] ^= 0xff; // first body byte
        return record;
      },
    ],
  ];

  it.each(tails)(
    'cuts a torn tail (%s) and continues right after the last whole record',
    async (_name, tail) => {
      const { end, bodies } = await writeAndClose(500);
      const segment = lastSegment(dir);
      const fd = fs.openSync(segment, 'r+');
      fs.writeSync(fd, tail(end), 0, undefined, end - Number(path.basename(segment)));
      fs.closeSync(fd);
      fs.writeFileSync(path.join(dir, 'abort'), '');

      store = await MessageStore.open(smallStoreOptions(dir));
      expect(store.getMaxPhysicalOffset()).toBe(end);
      expect(store.getMaxOffsetInQueue('TopicTest', 0)).toBe(250);
      const q0 = readQueue(store, 'TopicTest', 0).map((r) => decodeRecord(r).body.toString());
      expect(q0).toEqual(bodies.filter((_, i) => i % 2 === 0));

      const next = await store.putMessage(makeMessage());
      expect(next.appendResult).toMatchObject({ wroteOffset: end, queueOffset: 250 });
      await store.whenDispatched();
      expect(decodeRecord(store.getMessage('g', 'TopicTest', 0, 250, 1).messages[0]).commitLogOffset).toBe(
        end,
      );
      // The garbage is gone from the file, not just skipped.
      expect(
        fs
          .readFileSync(segment)
          .subarray(
            end - Number(path.basename(segment)) + next.appendResult!.wroteBytes,
            end + 200 - Number(path.basename(segment)),
          )
          .every((b) => b === 0),
      ).toBe(true);
    },
  );

  it('rebuilds lost or stale consume queues by re-dispatching after a crash', async () => {
    // Consume queues are only persisted every 60 s here, so a crash image has none of them.
    const live = await MessageStore.open(smallStoreOptions(dir, { flushIntervalConsumeQueue: 60_000 }));
    const bodies: string[][] = [[], [], []];
    for (let i = 0; i < 600; i++) {
      const msg = makeMessage({ queueId: i % 3, properties: { KEYS: `k${i}` } });
      bodies[i % 3].push(msg.body.toString());
      await live.putMessage(msg);
    }
    await waitFor(() => live.getRuntimeInfo().committedPhysicalOffset === live.getMaxPhysicalOffset());
    const crashImage = tempStoreDir('crash-');
    try {
      fs.cpSync(dir, crashImage, { recursive: true });
      fs.rmSync(path.join(crashImage, 'consumequeue', 'TopicTest', '1'), { recursive: true });
      expect(fs.existsSync(path.join(crashImage, 'abort'))).toBe(true);

      const recovered = await MessageStore.open(smallStoreOptions(crashImage));
      for (let q = 0; q < 3; q++) {
        expect(readQueue(recovered, 'TopicTest', q).map((r) => decodeRecord(r).body.toString())).toEqual(
          bodies[q],
        );
      }
      expect(recovered.queryMessage('TopicTest', 'k599', 32, 0, Date.now()).messages).toHaveLength(1);
      expect((await recovered.putMessage(makeMessage({ queueId: 1 }))).appendResult!.queueOffset).toBe(200);
      await recovered.shutdown();
    } finally {
      await live.shutdown();
      removeDir(crashImage);
    }
  });
});
