/**
 * Broker benchmark over TCP: how fast does one broker process take messages in and hand them out?
 *
 *   node -r @swc-node/register apps/broker/bench/broker.bench.ts \
 *     [--messages 200000] [--sizes 128,1024] [--flush ASYNC_FLUSH,SYNC_FLUSH] [--producers 1] [--window 2000]
 *
 * For each flush mode it starts a real broker (NameServer + Broker, `apps/broker/src/main.ts`) as a
 * child process on free ports with a throw-away store, then for each message size:
 *   - produce: each producer is one TCP connection that keeps `window` SEND_MESSAGE_V2 requests in flight,
 *     spreading messages over 8 queues (no batching);
 *   - consume: one connection pulls every queue back with PULL_MESSAGE (32 per pull, 8 pulls in flight).
 * It samples the broker's CPU seconds (utime + stime from /proc) per phase and its peak RSS (VmHWM),
 * prints a table and writes JSON to load-tests/results/. It asserts nothing: it is a measurement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createRequest,
  encodeProperties,
  MessageConst,
  PullSysFlag,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  sendMessageHeaderToV2,
  toExtFields,
} from '@flashsale/mq/protocol';

const WORKSPACE = path.resolve(__dirname, '../../..');
const QUEUES = 8;
const CLOCK_TICKS = 100; // Linux USER_HZ, the unit of utime/stime in /proc/<pid>/stat

interface Options {
  messages: number;
  sizes: number[];
  flushModes: string[];
  producers: number;
  window: number;
}

interface PhaseResult {
  msgsPerSec: number;
  seconds: number;
  brokerCpuSeconds: number;
  latencyMs?: { p50: number; p99: number; max: number };
}

interface CaseResult {
  flushDiskType: string;
  bodyBytes: number;
  messages: number;
  producers: number;
  window: number;
  produce: PhaseResult;
  consume: PhaseResult;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string, fallback: string): string => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] ? argv[index + 1] : fallback;
  };
  return {
    messages: Number(get('messages', '200000')),
    sizes: get('sizes', '128,1024').split(',').map(Number),
    flushModes: get('flush', 'ASYNC_FLUSH,SYNC_FLUSH').split(','),
    producers: Number(get('producers', '1')),
    window: Number(get('window', '2000')),
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`broker exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`broker did not listen on ${port}`);
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function peakRssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : NaN;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function createTopic(broker: RemotingConnection, topic: string): Promise<void> {
  const request = createRequest(
    RequestCode.UPDATE_AND_CREATE_TOPIC,
    toExtFields({
      topic,
      defaultTopic: 'TBW102',
      readQueueNums: QUEUES,
      writeQueueNums: QUEUES,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
    }),
  );
  const response = await broker.invoke(request, 5000);
  if (response.code !== ResponseCode.SUCCESS)
    throw new Error(`create topic: ${response.code} ${response.remark}`);
}

/** One producer connection keeping `window` sends in flight until `count` have been acknowledged. */
async function produce(
  address: string,
  topic: string,
  count: number,
  window: number,
  body: Buffer,
  latencies: Float64Array,
  latencyOffset: number,
): Promise<void> {
  const connection = await RemotingConnection.connect(address);
  let next = 0;
  let failed: Error | undefined;
  const properties = encodeProperties({ [MessageConst.TAGS]: 'bench', [MessageConst.WAIT]: 'true' });
  const sendOne = async (): Promise<void> => {
    while (next < count && !failed) {
      const index = next++;
      const header = sendMessageHeaderToV2({
        producerGroup: 'bench-producer',
        topic,
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: 4,
        queueId: index % QUEUES,
        sysFlag: 0,
        bornTimestamp: Date.now(),
        flag: 0,
        properties,
        reconsumeTimes: 0,
        unitMode: false,
        batch: false,
      });
      const started = performance.now();
      const response = await connection.invoke(
        createRequest(RequestCode.SEND_MESSAGE_V2, header, body),
        10000,
      );
      latencies[latencyOffset + index] = performance.now() - started;
      if (response.code !== ResponseCode.SUCCESS)
        failed = new Error(`send: ${response.code} ${response.remark}`);
    }
  };
  await Promise.all(Array.from({ length: window }, sendOne));
  connection.close();
  if (failed) throw failed;
}

/** Pulls every queue from offset 0 until `expected` messages have come back. */
async function consume(address: string, topic: string, expected: number): Promise<number> {
  const connection = await RemotingConnection.connect(address);
  let received = 0;
  const pullQueue = async (queueId: number): Promise<void> => {
    let offset = 0;
    while (received < expected) {
      const request = createRequest(
        RequestCode.PULL_MESSAGE,
        toExtFields({
          consumerGroup: 'bench-consumer',
          topic,
          queueId,
          queueOffset: offset,
          maxMsgNums: 32,
          sysFlag: PullSysFlag.SUBSCRIPTION,
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: '*',
          subVersion: 0,
          expressionType: 'TAG',
        }),
      );
      const response = await connection.invoke(request, 10000);
      if (response.code === ResponseCode.SUCCESS) {
        received += countRecords(response.body);
      } else if (response.code !== ResponseCode.PULL_NOT_FOUND) {
        throw new Error(`pull: ${response.code} ${response.remark}`);
      }
      const nextOffset = Number(response.extFields.nextBeginOffset);
      if (response.code === ResponseCode.PULL_NOT_FOUND && nextOffset === offset) return;
      offset = nextOffset;
    }
  };
  await Promise.all(Array.from({ length: QUEUES }, (_, queueId) => pullQueue(queueId)));
  connection.close();
  return received;
}

function countRecords(body: Buffer | undefined): number {
  if (!body) return 0;
  let count = 0;
  for (let position = 0; position + 4 <= body.length; position += body.readInt32BE(position)) count++;
  return count;
}

async function runFlushMode(
  options: Options,
  flushDiskType: string,
): Promise<{ cases: CaseResult[]; rss: number }> {
  const storeDir = mkdtempSync(path.join(tmpdir(), 'broker-bench-'));
  const [namesrvPort, brokerPort] = [await freePort(), await freePort()];
  const broker = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/broker/src/main.ts'], {
    cwd: WORKSPACE,
    env: {
      ...process.env,
      ROLE: 'all',
      NAMESRV_PORT: String(namesrvPort),
      NAMESRV_ADDR: `127.0.0.1:${namesrvPort}`,
      BROKER_PORT: String(brokerPort),
      BROKER_IP: '127.0.0.1',
      STORE_DIR: storeDir,
      FLUSH_DISK_TYPE: flushDiskType,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const cases: CaseResult[] = [];
  try {
    await waitForPort(brokerPort, broker);
    const address = `127.0.0.1:${brokerPort}`;
    const admin = await RemotingConnection.connect(address);
    for (const size of options.sizes) {
      const topic = `bench_${size}_${flushDiskType.toLowerCase()}`;
      await createTopic(admin, topic);
      const body = Buffer.alloc(size, 'x');
      const perProducer = Math.floor(options.messages / options.producers);
      const total = perProducer * options.producers;
      const latencies = new Float64Array(total);

      let cpuBefore = cpuSeconds(broker.pid!);
      let started = performance.now();
      await Promise.all(
        Array.from({ length: options.producers }, (_, i) =>
          produce(address, topic, perProducer, options.window, body, latencies, i * perProducer),
        ),
      );
      let seconds = (performance.now() - started) / 1000;
      latencies.sort();
      const producePhase: PhaseResult = {
        msgsPerSec: total / seconds,
        seconds,
        brokerCpuSeconds: cpuSeconds(broker.pid!) - cpuBefore,
        latencyMs: {
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          max: latencies[total - 1],
        },
      };

      cpuBefore = cpuSeconds(broker.pid!);
      started = performance.now();
      const received = await consume(address, topic, total);
      seconds = (performance.now() - started) / 1000;
      const consumePhase: PhaseResult = {
        msgsPerSec: received / seconds,
        seconds,
        brokerCpuSeconds: cpuSeconds(broker.pid!) - cpuBefore,
      };
      if (received !== total) process.stderr.write(`warning: consumed ${received} of ${total}\n`);
      cases.push({
        flushDiskType,
        bodyBytes: size,
        messages: total,
        producers: options.producers,
        window: options.window,
        produce: producePhase,
        consume: consumePhase,
      });
      printCase(cases[cases.length - 1]);
    }
    admin.close();
    return { cases, rss: peakRssMiB(broker.pid!) };
  } finally {
    broker.kill('SIGTERM');
    await new Promise((resolve) => broker.once('exit', resolve));
    rmSync(storeDir, { recursive: true, force: true });
  }
}

function printCase(c: CaseResult): void {
  const f = (n: number): string => Math.round(n).toLocaleString('en-US');
  const ms = (n: number | undefined): string => (n === undefined ? '-' : n.toFixed(2));
  process.stdout.write(
    `${c.flushDiskType.padEnd(11)} ${String(c.bodyBytes).padStart(5)} B  producers=${c.producers} window=${c.window}  ` +
      `produce ${f(c.produce.msgsPerSec).padStart(9)} msg/s (p50 ${ms(c.produce.latencyMs?.p50)} ms, ` +
      `p99 ${ms(c.produce.latencyMs?.p99)} ms, broker CPU ${c.produce.brokerCpuSeconds.toFixed(1)} s)  ` +
      `consume ${f(c.consume.msgsPerSec).padStart(9)} msg/s (broker CPU ${c.consume.brokerCpuSeconds.toFixed(1)} s)\n`,
  );
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  process.stdout.write(
    `broker bench: ${options.messages} messages per case, sizes ${options.sizes.join('/')} B, ` +
      `${options.producers} producer(s), window ${options.window}, ${QUEUES} queues\n`,
  );
  const results: { cases: CaseResult[]; brokerPeakRssMiB: Record<string, number> } = {
    cases: [],
    brokerPeakRssMiB: {},
  };
  for (const mode of options.flushModes) {
    const { cases, rss } = await runFlushMode(options, mode);
    results.cases.push(...cases);
    results.brokerPeakRssMiB[mode] = rss;
    process.stdout.write(`${mode}: broker peak RSS ${rss.toFixed(0)} MiB\n`);
  }
  const outDir = path.join(WORKSPACE, 'load-tests/results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `broker-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ options, machine: { cpus: 2 }, ...results }, null, 2));
  process.stdout.write(`results written to ${path.relative(WORKSPACE, file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
