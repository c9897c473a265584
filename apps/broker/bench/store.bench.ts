/**
 * Store throughput benchmark: puts N messages through MessageStore (ASYNC_FLUSH and SYNC_FLUSH,
 * 1 KiB and 128 B bodies, many puts in flight), then reads them all back with getMessage.
 *
 *   node -r @swc-node/register apps/broker/bench/store.bench.ts [count] [inFlight]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessageRecord } from '@flashsale/mq/protocol';
import { type FlushDiskType, MessageStore } from '../src/store';
import { makeMessage } from '../src/store/store-test-fixtures';

const COUNT = Number(process.argv[2] ?? 200_000);
const IN_FLIGHT = Number(process.argv[3] ?? 1000);
const QUEUES = 4;
const TOPIC = 'BenchTopic';

function message(i: number, body: Buffer): MessageRecord {
  return makeMessage({
    topic: TOPIC,
    queueId: i % QUEUES,
    body,
    properties: {
      TAGS: 'TagA',
      KEYS: `order-${i}`,
      UNIQ_KEY: `0A0000010000${i.toString(16).toUpperCase().padStart(20, '0')}`,
    },
    bornTimestamp: Date.now(),
  });
}

/**
 * Keeps up to `inFlight` puts outstanding until `count` were acknowledged. New puts are launched
 * from a setImmediate loop, like requests arriving from sockets, so the store's commit, reput and
 * fsync work gets turns between bursts exactly as in a running broker.
 */
function putAll(store: MessageStore, count: number, inFlight: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let launched = 0;
    let done = 0;
    let failed = 0;
    const onResult = (status: string): void => {
      if (status !== 'PUT_OK') failed++;
      if (++done === count) resolve(failed);
    };
    const burst = (): void => {
      for (let n = 0; n < 1000 && launched < count && launched - done < inFlight; n++) {
        store.putMessage(message(launched++, body)).then((r) => onResult(r.status), reject);
      }
      if (launched < count) setImmediate(burst);
    };
    burst();
  });
}

function readAll(store: MessageStore): number {
  let read = 0;
  for (let q = 0; q < QUEUES; q++) {
    let offset = 0;
    for (;;) {
      const result = store.getMessage('bench', TOPIC, q, offset, 32);
      if (result.status !== 'FOUND') break;
      read += result.messages.length;
      offset = result.nextBeginOffset;
    }
  }
  return read;
}

async function run(flushDiskType: FlushDiskType, bodySize: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-bench-'));
  const store = await MessageStore.open({ storePathRootDir: dir, flushDiskType });
  const body = Buffer.alloc(bodySize, 'x');
  try {
    const t0 = process.hrtime.bigint();
    const failed = await putAll(store, COUNT, IN_FLIGHT, body);
    const t1 = process.hrtime.bigint();
    await store.whenDispatched();
    const t2 = process.hrtime.bigint();
    const read = readAll(store);
    const t3 = process.hrtime.bigint();
    const info = store.getRuntimeInfo();
    const putSec = Number(t1 - t0) / 1e9;
    const readSec = Number(t3 - t2) / 1e9;
    const line = [
      `${flushDiskType.padEnd(11)} body=${String(bodySize).padStart(4)}B`,
      `put ${Math.round(COUNT / putSec)
        .toLocaleString('en-US')
        .padStart(9)} msg/s`,
      `(${(info.putMessageSizeTotal / putSec / 1048576).toFixed(0)} MiB/s, failed ${failed})`,
      `dispatch tail ${(Number(t2 - t1) / 1e6).toFixed(0)} ms`,
      `read ${Math.round(read / readSec)
        .toLocaleString('en-US')
        .padStart(10)} msg/s (${read} msgs)`,
      `fsyncs ${info.commitLogFsyncCount}`,
    ];
    process.stdout.write(line.join('  ') + '\n');
  } finally {
    await store.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.stdout.write(`store bench: ${COUNT} messages, ${IN_FLIGHT} puts in flight, ${QUEUES} queues\n`);
  for (const flush of ['ASYNC_FLUSH', 'SYNC_FLUSH'] as const) {
    for (const size of [1024, 128]) await run(flush, size);
  }
}

void main();
