/**
 * Consumption benchmark: fills a store with N messages over 4 queues, then pulls them all back over
 * TCP through the PULL_MESSAGE processor, one outstanding pull per queue with batches of 32 (what a
 * push consumer does), and prints messages per second. Then measures long-polling wake-up latency.
 *
 *   node -r @swc-node/register apps/broker/bench/pull.bench.ts [count] [bodyBytes]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createRequest,
  type MessageRecord,
  PullSysFlag,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  silentRemotingLogger,
  toExtFields,
} from '@flashsale/mq/protocol';
import { createConsumeSideProcessors } from '../src/processors/consume-side-processors';
import { RemotingServer } from '../src/remoting/remoting-server';
import { MessageStore } from '../src/store';
import { makeMessage } from '../src/store/store-test-fixtures';

const COUNT = Number(process.argv[2] ?? 400_000);
const BODY_BYTES = Number(process.argv[3] ?? 128);
const QUEUES = 4;
const TOPIC = 'PullBench';

function message(i: number, body: Buffer): MessageRecord {
  return makeMessage({
    topic: TOPIC,
    queueId: i % QUEUES,
    body,
    properties: { TAGS: i % 2 === 0 ? 'TagA' : 'TagB', UNIQ_KEY: `U${i}` },
    bornTimestamp: Date.now(),
  });
}

function pullRequest(
  queueId: number,
  queueOffset: number,
  subscription: string,
  sysFlag: number = PullSysFlag.SUBSCRIPTION,
) {
  return createRequest(
    RequestCode.PULL_MESSAGE,
    toExtFields({
      consumerGroup: 'bench',
      topic: TOPIC,
      queueId,
      queueOffset,
      maxMsgNums: 32,
      sysFlag,
      commitOffset: 0,
      suspendTimeoutMillis: 15000,
      subscription,
      subVersion: 0,
    }),
  );
}

/** One pull loop per queue until it reaches the end; returns messages received (by offsets). */
async function drain(
  client: RemotingConnection,
  subscription: string,
): Promise<{ messages: number; bytes: number }> {
  let messages = 0;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: QUEUES }, async (_, queueId) => {
      let offset = 0;
      for (;;) {
        const response = await client.invoke(pullRequest(queueId, offset, subscription), 30_000);
        if (response.code !== ResponseCode.SUCCESS && response.code !== ResponseCode.PULL_RETRY_IMMEDIATELY)
          break;
        if (response.body) {
          bytes += response.body.length;
          messages += countRecords(response.body);
        }
        offset = Number(response.extFields.nextBeginOffset);
      }
    }),
  );
  return { messages, bytes };
}

function countRecords(body: Buffer): number {
  let count = 0;
  for (let at = 0; at < body.length; at += body.readInt32BE(at)) count++;
  return count;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pull-bench-'));
  const store = await MessageStore.open({
    storePathRootDir: dir,
    mappedFileSizeCommitLog: 256 * 1024 * 1024,
  });
  const consumeSide = createConsumeSideProcessors({
    store,
    storePathRootDir: dir,
    topicConfigs: { selectTopicConfig: () => ({ readQueueNums: QUEUES, writeQueueNums: QUEUES, perm: 6 }) },
    subscriptions: { findSubscriptionData: () => undefined },
    brokerConfig: { brokerPermission: 6, longPollingEnable: true, shortPollingTimeMills: 1000 },
  });
  store.setMessageArrivingListener(consumeSide.messageArrivingListener);
  consumeSide.start();
  const server = new RemotingServer({ host: '127.0.0.1', port: 0, logger: silentRemotingLogger });
  for (const [code, processor] of consumeSide.registrations) server.registerProcessor(code, processor);
  await server.start();
  const client = await RemotingConnection.connect(`127.0.0.1:${server.port}`);

  const body = Buffer.alloc(BODY_BYTES, 'x');
  const puts: Promise<unknown>[] = [];
  for (let i = 0; i < COUNT; i++) puts.push(store.putMessage(message(i, body)));
  await Promise.all(puts);
  await store.whenDispatched();

  for (const subscription of ['*', 'TagA']) {
    const started = performance.now();
    const { messages, bytes } = await drain(client, subscription);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `pull '${subscription}': ${messages} msgs (${(bytes / 1048576).toFixed(1)} MiB) in ${seconds.toFixed(2)} s = ` +
        `${Math.round(messages / seconds).toLocaleString('en')} msgs/s\n`,
    );
  }

  const latencies: number[] = [];
  for (let i = 0; i < 50; i++) {
    const offset = store.getMaxOffsetInQueue(TOPIC, 0);
    const pending = client.invoke(
      pullRequest(0, offset, '*', PullSysFlag.SUBSCRIPTION | PullSysFlag.SUSPEND),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const putAt = performance.now();
    await store.putMessage(message(0, body));
    await pending;
    latencies.push(performance.now() - putAt);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);
  process.stdout.write(`long-poll wake-up (put → response): p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms\n`);

  client.close();
  await server.close();
  await consumeSide.shutdown();
  await store.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
