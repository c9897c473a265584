/**
 * Broker benchmark through our client: how fast does one broker process take messages in, hand them
 * out, and how long does a message take from producer to consumer?
 *
 *   npm run bench:broker -- [--messages 200000] [--sizes 128,1024] [--flush ASYNC_FLUSH,SYNC_FLUSH]
 *     [--producers 1,4] [--batch 1,32] [--window 2000] [--latency-rate 5000] [--latency-seconds 10]
 *     [--latency-warmup 2] [--runs 1] [--warmup-mib 320] [--broker-node-args "<node flags>"]
 *
 * For each flush mode it starts a real broker (NameServer + Broker, `apps/broker/src/main.ts`) as a
 * child process on free ports with a throw-away store, and first writes `--warmup-mib` of 1 KiB batches
 * to a topic of its own, unmeasured, so the measured phases see a broker whose hot cache (256 MiB) is
 * full, the state of a broker that has been up for a while rather than one that just started.
 * What each phase measures:
 *
 * - produce — "How many messages per second can one client process push into a broker, and what do
 *   ASYNC_FLUSH and SYNC_FLUSH cost?" Each producer is one `Producer` (one client instance, one TCP
 *   connection) keeping `window` messages in flight over the topic's 8 queues: `single` sends
 *   SEND_MESSAGE_V2 per message, `batch N` sends SEND_BATCH_MESSAGE with N messages per request. The
 *   broker appends to the CommitLog; under SYNC_FLUSH every send waits for the group commit's fsync.
 * - consume — "Can consumers keep up?" A fresh `PushConsumer` group reads everything back from the
 *   first offset (long-polling PULL_MESSAGE, 32 messages per pull, one listener call per message).
 * - latency — "What is the end-to-end latency at a steady rate?" Producer → broker → push consumer in
 *   this process at `--latency-rate` msg/s (steady-rate-latency.ts): reput dispatch, the long-polling
 *   wake-up, the pull round trip.
 *
 * The broker runs with the Node flags of `npx nx serve broker` (BROKER_NODE_ARGS from
 * @flashsale/testing; the README's Performance section says why), unless `--broker-node-args` says
 * otherwise.
 *
 * It samples the broker's CPU seconds (utime + stime from /proc) and this process's CPU per phase,
 * the broker's peak RSS (VmHWM), prints a table (medians and ranges over `--runs`) and writes JSON to
 * load-tests/results/. It asserts nothing: it is a measurement.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// The benchmark drives the broker the way applications do, through our client; the broker itself
// never imports it.
// eslint-disable-next-line no-restricted-imports
import { AdminClient, type Message, Producer, PushConsumer } from '@flashsale/mq';
import { BROKER_NODE_ARGS, spawnBrokerForTests, type SpawnedBroker } from '@flashsale/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type LatencyPercentiles,
  measureSteadyRateLatency,
  percentiles,
  type SteadyRateResult,
} from '../../../libs/mq/test/bench/steady-rate-latency';

const WORKSPACE = path.resolve(__dirname, '../../..');
const QUEUES = 8;
const CLOCK_TICKS = 100; // Linux USER_HZ, the unit of utime/stime in /proc/<pid>/stat
const SATURATED_SEND_TIMEOUT_MILLIS = 30_000;

interface Options {
  messages: number;
  sizes: number[];
  flushModes: string[];
  producers: number[];
  batches: number[];
  window: number;
  latencyRate: number;
  latencySeconds: number;
  latencyWarmup: number;
  runs: number;
  warmupMiB: number;
  brokerNodeArgs: string[];
}

interface ThroughputCase {
  run: number;
  flushDiskType: string;
  bodyBytes: number;
  producers: number;
  /** 'single' (SEND_MESSAGE_V2) or 'batch N' (SEND_BATCH_MESSAGE). */
  mode: string;
  messages: number;
  produce: PhaseCpu & { msgsPerSec: number; seconds: number; requestLatencyMs: LatencyPercentiles };
  consume: PhaseCpu & { msgsPerSec: number; seconds: number; received: number };
}

interface LatencyCase {
  run: number;
  flushDiskType: string;
  bodyBytes: number;
  brokerCpuSeconds: number;
  result: SteadyRateResult;
}

// ---- options -------------------------------------------------------------------------------------

function parseArgs(argv: string[]): Options {
  if (argv.includes('--help')) {
    process.stdout.write(`${readFileSync(__filename, 'utf8').split('*/')[0]}*/\n`);
    process.exit(0);
  }
  const get = (name: string, fallback: string): string => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] ? argv[index + 1] : fallback;
  };
  const numbers = (name: string, fallback: string): number[] => get(name, fallback).split(',').map(Number);
  return {
    messages: Number(get('messages', '200000')),
    sizes: numbers('sizes', '128,1024'),
    flushModes: get('flush', 'ASYNC_FLUSH,SYNC_FLUSH').split(','),
    producers: numbers('producers', '1,4'),
    batches: numbers('batch', '1,32'),
    window: Number(get('window', '2000')),
    latencyRate: Number(get('latency-rate', '5000')),
    latencySeconds: Number(get('latency-seconds', '10')),
    latencyWarmup: Number(get('latency-warmup', '2')),
    runs: Number(get('runs', '1')),
    warmupMiB: Number(get('warmup-mib', '320')),
    brokerNodeArgs: get('broker-node-args', BROKER_NODE_ARGS.join(' ')).split(' ').filter(Boolean),
  };
}

function modeName(batch: number): string {
  return batch > 1 ? `batch ${batch}` : 'single';
}

// ---- the broker child process --------------------------------------------------------------------

/** NameServer + broker in one child process (ROLE=all), as `nx serve broker` runs them. */
function startBroker(flushDiskType: string, nodeArgs: string[]): Promise<SpawnedBroker> {
  return spawnBrokerForTests({ env: { FLUSH_DISK_TYPE: flushDiskType }, nodeArgs });
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

interface PhaseCpu {
  brokerCpuSeconds: number;
  /** This process: producers and consumers (and nothing else runs here during a phase). */
  clientCpuSeconds: number;
}

/** Runs `phase` and returns its result with the CPU seconds it cost the broker and this process. */
async function withCpu<T>(pid: number, phase: () => Promise<T>): Promise<[T, PhaseCpu]> {
  const brokerBefore = cpuSeconds(pid);
  const clientBefore = process.cpuUsage();
  const result = await phase();
  const client = process.cpuUsage(clientBefore);
  return [
    result,
    {
      brokerCpuSeconds: cpuSeconds(pid) - brokerBefore,
      clientCpuSeconds: (client.user + client.system) / 1e6,
    },
  ];
}

/** Creates a topic with 8 queues (the broker has registered: spawnBrokerForTests waits for it). */
async function createTopic(nameServer: string, topic: string): Promise<void> {
  const admin = new AdminClient({ nameServer });
  try {
    await admin.createTopic(topic, { readQueueNums: QUEUES, writeQueueNums: QUEUES });
  } finally {
    admin.close();
  }
}

// ---- produce -------------------------------------------------------------------------------------

/**
 * One producer keeping `window` messages in flight until `count` are acknowledged: `window / batch`
 * requests of `batch` messages each (SEND_BATCH_MESSAGE), or single sends when batch is 1.
 */
async function produceWithWindow(
  producer: Producer,
  topic: string,
  count: number,
  window: number,
  batch: number,
  body: Buffer,
  requestLatencies: number[],
): Promise<void> {
  let remaining = count;
  const message: Message = { topic, body, tags: 'bench' };
  const sendLoop = async (): Promise<void> => {
    while (remaining > 0) {
      const size = Math.min(batch, remaining);
      remaining -= size;
      const started = performance.now();
      if (batch === 1) await producer.send(message);
      else await producer.sendBatch(Array.from({ length: size }, () => message));
      requestLatencies.push(performance.now() - started);
    }
  };
  const requestsInFlight = Math.max(1, Math.floor(window / batch));
  await Promise.all(Array.from({ length: requestsInFlight }, sendLoop));
}

async function producePhase(
  nameServer: string,
  topic: string,
  options: Options,
  producerCount: number,
  batch: number,
  body: Buffer,
): Promise<{ messages: number; seconds: number; requestLatencyMs: LatencyPercentiles }> {
  const perProducer = Math.floor(options.messages / producerCount);
  // The window deliberately saturates the broker, so a request may queue for seconds: a generous
  // send timeout keeps the measurement from turning into retries (and duplicates).
  const producers = Array.from(
    { length: producerCount },
    (_, i) =>
      new Producer({
        nameServer,
        producerGroup: 'bench-pg',
        instanceName: `bench-producer-${i}`,
        sendMsgTimeout: SATURATED_SEND_TIMEOUT_MILLIS,
      }),
  );
  for (const producer of producers) {
    await producer.start();
    await producer.send({ topic, body }); // route and connection ready before the clock starts
  }
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    producers.map((p) => produceWithWindow(p, topic, perProducer, options.window, batch, body, latencies)),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const producer of producers) await producer.shutdown();
  return { messages: perProducer * producerCount, seconds, requestLatencyMs: percentiles(latencies) };
}

// ---- consume -------------------------------------------------------------------------------------

/** A fresh push-consumer group reads the topic from its first offset until `expected` have arrived. */
async function consumePhase(
  nameServer: string,
  topic: string,
  group: string,
  expected: number,
): Promise<{ received: number; seconds: number }> {
  const consumer = new PushConsumer({
    nameServer,
    consumerGroup: group,
    instanceName: group,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  let received = 0;
  let allArrived: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allArrived = resolve));
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener((messages) => {
    received += messages.length;
    if (received >= expected) allArrived();
    return 'CONSUME_SUCCESS';
  });
  const started = performance.now();
  await consumer.start();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, 120_000)));
  await Promise.race([done, timedOut]);
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  await consumer.shutdown();
  return { received, seconds };
}

// ---- one flush mode ------------------------------------------------------------------------------

async function throughputCase(
  broker: SpawnedBroker,
  options: Options,
  run: number,
  flushDiskType: string,
  size: number,
  producerCount: number,
  batch: number,
): Promise<ThroughputCase> {
  const pid = broker.pid;
  const topic = `bench_${size}_${flushDiskType.toLowerCase()}_${producerCount}p_${batch}b_r${run}`;
  await createTopic(broker.namesrvAddr, topic);
  const body = Buffer.alloc(size, 'x');
  const [produced, produceCpu] = await withCpu(pid, () =>
    producePhase(broker.namesrvAddr, topic, options, producerCount, batch, body),
  );
  const expected = produced.messages + producerCount; // plus each producer's warm-up send
  const [consumed, consumeCpu] = await withCpu(pid, () =>
    consumePhase(broker.namesrvAddr, topic, `bench-cg-${topic}`, expected),
  );
  if (consumed.received < expected)
    process.stderr.write(`warning: consumed ${consumed.received} of ${expected}\n`);
  return {
    run,
    flushDiskType,
    bodyBytes: size,
    producers: producerCount,
    mode: modeName(batch),
    messages: produced.messages,
    produce: {
      msgsPerSec: produced.messages / produced.seconds,
      seconds: produced.seconds,
      ...produceCpu,
      requestLatencyMs: produced.requestLatencyMs,
    },
    consume: {
      msgsPerSec: consumed.received / consumed.seconds,
      seconds: consumed.seconds,
      ...consumeCpu,
      received: consumed.received,
    },
  };
}

async function latencyCase(
  broker: SpawnedBroker,
  options: Options,
  run: number,
  flushDiskType: string,
  size: number,
): Promise<LatencyCase> {
  const topic = `latency_${size}_${flushDiskType.toLowerCase()}_r${run}`;
  await createTopic(broker.namesrvAddr, topic);
  const [result, cpu] = await withCpu(broker.pid, () =>
    measureSteadyRateLatency({
      nameServer: broker.namesrvAddr,
      topic,
      rate: options.latencyRate,
      seconds: options.latencySeconds,
      warmupSeconds: options.latencyWarmup,
      bodyBytes: size,
      group: `latency-${topic}`,
    }),
  );
  return { run, flushDiskType, bodyBytes: size, brokerCpuSeconds: cpu.brokerCpuSeconds, result };
}

/** Fills the broker's hot cache once, unmeasured (see the header). */
async function warmUp(broker: SpawnedBroker, options: Options, flushDiskType: string): Promise<void> {
  if (options.warmupMiB <= 0) return;
  const topic = `bench_warmup_${flushDiskType.toLowerCase()}`;
  await createTopic(broker.namesrvAddr, topic);
  const body = Buffer.alloc(1024, 'w');
  const producer = new Producer({ nameServer: broker.namesrvAddr, producerGroup: 'bench-warmup-pg' });
  await producer.start();
  const started = performance.now();
  await produceWithWindow(producer, topic, options.warmupMiB * 1024, options.window, 32, body, []);
  await producer.shutdown();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`  ${flushDiskType}: warm-up ${options.warmupMiB} MiB in ${seconds.toFixed(1)} s\n`);
}

async function runFlushMode(
  options: Options,
  run: number,
  flushDiskType: string,
): Promise<{ throughput: ThroughputCase[]; latency: LatencyCase[]; peakRssMiB: number }> {
  const broker = await startBroker(flushDiskType, options.brokerNodeArgs);
  const throughput: ThroughputCase[] = [];
  const latency: LatencyCase[] = [];
  try {
    await warmUp(broker, options, flushDiskType);
    for (const size of options.sizes) {
      for (const producerCount of options.producers) {
        for (const batch of options.batches) {
          const result = await throughputCase(
            broker,
            options,
            run,
            flushDiskType,
            size,
            producerCount,
            batch,
          );
          printThroughputRow(result);
          throughput.push(result);
        }
      }
      if (options.latencyRate > 0) {
        const result = await latencyCase(broker, options, run, flushDiskType, size);
        printLatencyRow(result);
        latency.push(result);
      }
    }
    return { throughput, latency, peakRssMiB: peakRssMiB(broker.pid) };
  } finally {
    await broker.stop();
  }
}

// ---- reporting -----------------------------------------------------------------------------------

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const perMessage = (cpuSeconds: number, messages: number): string =>
  ((cpuSeconds * 1e6) / messages).toFixed(1);
const ms = (n: number): string => n.toFixed(2);

function printThroughputRow(c: ThroughputCase): void {
  process.stdout.write(
    `  run ${c.run} ${c.flushDiskType.padEnd(11)} ${String(c.bodyBytes).padStart(5)} B  ${c.producers} producer(s) ` +
      `${c.mode.padEnd(8)}  produce ${int(c.produce.msgsPerSec).padStart(8)} msg/s ` +
      `(request p50 ${ms(c.produce.requestLatencyMs.p50)} / p99 ${ms(c.produce.requestLatencyMs.p99)} ms, ` +
      `broker ${perMessage(c.produce.brokerCpuSeconds, c.messages)} / client ${perMessage(c.produce.clientCpuSeconds, c.messages)} µs/msg)  ` +
      `consume ${int(c.consume.msgsPerSec).padStart(8)} msg/s ` +
      `(broker ${perMessage(c.consume.brokerCpuSeconds, c.consume.received)} / client ${perMessage(c.consume.clientCpuSeconds, c.consume.received)} µs/msg)\n`,
  );
}

function printLatencyRow(c: LatencyCase): void {
  const e2e = c.result.endToEndMs;
  process.stdout.write(
    `  run ${c.run} ${c.flushDiskType.padEnd(11)} ${String(c.bodyBytes).padStart(5)} B  end-to-end at ` +
      `${int(c.result.sentPerSec)} msg/s: p50 ${ms(e2e.p50)} p90 ${ms(e2e.p90)} p99 ${ms(e2e.p99)} ` +
      `p99.9 ${ms(e2e.p999)} max ${ms(e2e.max)} ms (send ack p99 ${ms(c.result.sendAckMs.p99)} ms, ` +
      `client ${c.result.clientCpuMicrosPerMessage.toFixed(0)} µs/msg, broker CPU ${c.brokerCpuSeconds.toFixed(1)} s)\n`,
  );
}

/** "median [min–max]" of a figure over runs. */
function spread(values: number[], format: (n: number) => string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (sorted.length === 1) return format(median);
  return `${format(median)} [${format(sorted[0])}–${format(sorted[sorted.length - 1])}]`;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function printSummary(
  throughput: ThroughputCase[],
  latency: LatencyCase[],
  rss: Record<string, number[]>,
): void {
  const runs = Math.max(1, ...throughput.map((c) => c.run), ...latency.map((c) => c.run));
  process.stdout.write(`\nSummary (median [min–max] over ${runs} run(s))\n`);
  process.stdout.write(
    '| flush | size | producers | mode | produce msg/s | request p99 ms | broker / client CPU µs/msg (produce) | consume msg/s |\n' +
      '| --- | --- | --- | --- | --- | --- | --- | --- |\n',
  );
  const byCase = groupBy(throughput, (c) => `${c.flushDiskType}|${c.bodyBytes}|${c.producers}|${c.mode}`);
  for (const cases of byCase.values()) {
    const c = cases[0];
    process.stdout.write(
      `| ${c.flushDiskType} | ${c.bodyBytes} B | ${c.producers} | ${c.mode} | ` +
        `${spread(
          cases.map((x) => x.produce.msgsPerSec),
          int,
        )} | ` +
        `${spread(
          cases.map((x) => x.produce.requestLatencyMs.p99),
          ms,
        )} | ` +
        `${spread(
          cases.map((x) => (x.produce.brokerCpuSeconds * 1e6) / x.messages),
          (n) => n.toFixed(1),
        )} / ` +
        `${spread(
          cases.map((x) => (x.produce.clientCpuSeconds * 1e6) / x.messages),
          (n) => n.toFixed(1),
        )} | ` +
        `${spread(
          cases.map((x) => x.consume.msgsPerSec),
          int,
        )} |\n`,
    );
  }
  if (latency.length > 0) {
    process.stdout.write(
      '\n| flush | size | rate msg/s | e2e p50 ms | p90 | p99 | p99.9 | max | send ack p99 | client µs/msg |\n' +
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
    );
    for (const cases of groupBy(latency, (c) => `${c.flushDiskType}|${c.bodyBytes}`).values()) {
      const c = cases[0];
      const e2e = (pick: (p: LatencyPercentiles) => number): string =>
        spread(
          cases.map((x) => pick(x.result.endToEndMs)),
          ms,
        );
      process.stdout.write(
        `| ${c.flushDiskType} | ${c.bodyBytes} B | ${int(c.result.rate)} | ${e2e((p) => p.p50)} | ` +
          `${e2e((p) => p.p90)} | ${e2e((p) => p.p99)} | ${e2e((p) => p.p999)} | ${e2e((p) => p.max)} | ` +
          `${spread(
            cases.map((x) => x.result.sendAckMs.p99),
            ms,
          )} | ` +
          `${spread(
            cases.map((x) => x.result.clientCpuMicrosPerMessage),
            (n) => n.toFixed(0),
          )} |\n`,
      );
    }
  }
  for (const [mode, values] of Object.entries(rss)) {
    process.stdout.write(`\nbroker peak RSS ${mode}: ${spread(values, (n) => `${n.toFixed(0)} MiB`)}`);
  }
  process.stdout.write('\n');
}

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  process.stdout.write(
    `broker bench: ${options.messages} messages per case, sizes ${options.sizes.join('/')} B, ` +
      `producers ${options.producers.join('/')}, modes ${options.batches.map(modeName).join('/')}, ` +
      `window ${options.window} messages per producer, ${QUEUES} queues, ` +
      `latency at ${options.latencyRate} msg/s for ${options.latencySeconds} s, ${options.runs} run(s)\n`,
  );
  const throughput: ThroughputCase[] = [];
  const latency: LatencyCase[] = [];
  const rss: Record<string, number[]> = {};
  for (let run = 1; run <= options.runs; run++) {
    for (const mode of options.flushModes) {
      const result = await runFlushMode(options, run, mode);
      throughput.push(...result.throughput);
      latency.push(...result.latency);
      (rss[mode] ??= []).push(result.peakRssMiB);
      process.stdout.write(`  run ${run} ${mode}: broker peak RSS ${result.peakRssMiB.toFixed(0)} MiB\n`);
    }
  }
  printSummary(throughput, latency, rss);
  const outDir = path.join(WORKSPACE, 'load-tests/results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `broker-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpus: (await import('node:os')).cpus().length, node: process.version };
  writeFileSync(
    file,
    JSON.stringify({ options, machine, throughput, latency, brokerPeakRssMiB: rss }, null, 2),
  );
  process.stdout.write(`results written to ${path.relative(WORKSPACE, file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
