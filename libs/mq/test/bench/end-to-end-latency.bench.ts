/**
 * End-to-end latency and client CPU cost: producer → broker → push consumer, through our client and a
 * broker in a child process. Prints numbers and writes JSON to load-tests/results/; asserts nothing.
 *
 *   node -r @swc-node/register libs/mq/test/bench/end-to-end-latency.bench.ts \
 *     [--rate 5000] [--seconds 10] [--warmup 2] [--size 1024] [--flush ASYNC_FLUSH]
 *
 * The producer sends at a steady rate (a batch of sends every millisecond, not waiting for each one);
 * each body starts with its send time from this process's monotonic clock, and the consumer, in the
 * same process, measures "sent → handed to the listener". The first `warmup` seconds are not counted.
 * Client CPU is this process's user + system time over the measured window (producer, consumer and the
 * in-process NameServer, which is idle after start-up), divided by the messages sent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { spawnBrokerProcess } from '../../../../apps/broker/test/support/broker-harness';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { NamesrvController } from '../../../../apps/broker/src/namesrv/namesrv-controller';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { silentBrokerLogger } from '../../../../apps/broker/src/broker-logger';
import { AdminClient, Producer, PushConsumer } from '@flashsale/mq';
import { makeTestDir, unusedPort } from '../support/client-test-helpers';

const WORKSPACE = path.resolve(__dirname, '../../../..');

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main(): Promise<void> {
  const rate = Number(option('rate', '5000'));
  const seconds = Number(option('seconds', '10'));
  const warmup = Number(option('warmup', '2'));
  const size = Number(option('size', '1024'));
  const flushDiskType = option('flush', 'ASYNC_FLUSH') as 'ASYNC_FLUSH' | 'SYNC_FLUSH';

  const namesrv = new NamesrvController({ listenPort: 0, host: '127.0.0.1', logger: silentBrokerLogger });
  await namesrv.start();
  const namesrvAddr = `127.0.0.1:${namesrv.port}`;
  const dir = await makeTestDir('mq-latency-bench-');
  const broker = await spawnBrokerProcess({
    storeDir: dir.path,
    namesrvAddr,
    port: await unusedPort(),
    flushDiskType,
  });
  const topic = `Latency_${Date.now()}`;
  const producer = new Producer({ nameServer: namesrvAddr, producerGroup: 'latency-pg' });
  const consumer = new PushConsumer({
    nameServer: namesrvAddr,
    consumerGroup: 'latency-cg',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    consumeConcurrency: 20,
  });
  try {
    const admin = new AdminClient({ nameServer: namesrvAddr });
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.createTopic(topic, { readQueueNums: 8, writeQueueNums: 8 });
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200)); // broker still registering
      }
    }
    admin.close();

    const latencies: number[] = [];
    let measuring = false;
    let received = 0;
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((messages) => {
      const now = performance.now();
      for (const message of messages) {
        received++;
        if (measuring) latencies.push(now - message.body.readDoubleBE(0));
      }
      return 'CONSUME_SUCCESS';
    });
    await producer.start();
    await consumer.start();
    await producer.send({ topic, body: Buffer.alloc(size) }); // routes and connections warm

    let sent = 0;
    let sendErrors = 0;
    // Paced by the clock, not by counting ticks: timers fire late, and the owed sends catch up.
    const pacingStart = performance.now();
    const body = (): Buffer => {
      const buffer = Buffer.alloc(size, 'x');
      buffer.writeDoubleBE(performance.now(), 0);
      return buffer;
    };
    const ticker = setInterval(() => {
      const due = Math.floor(((performance.now() - pacingStart) / 1000) * rate);
      while (sent < due) {
        sent++;
        producer.send({ topic, body: body() }).catch(() => sendErrors++);
      }
    }, 1);

    await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
    measuring = true;
    const sentAtStart = sent;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const sentMeasured = sent - sentAtStart;
    measuring = false;
    clearInterval(ticker);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let the tail arrive

    latencies.sort((a, b) => a - b);
    const result = {
      rate,
      sizeBytes: size,
      flushDiskType,
      seconds: elapsed,
      sentPerSec: sentMeasured / elapsed,
      consumedSamples: latencies.length,
      sendErrors,
      latencyMs: {
        p50: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        p999: percentile(latencies, 99.9),
        max: latencies[latencies.length - 1],
      },
      clientCpuMicrosPerMessage: (cpu.user + cpu.system) / sentMeasured,
      clientUserMicrosPerMessage: cpu.user / sentMeasured,
      clientSystemMicrosPerMessage: cpu.system / sentMeasured,
      clientCpuPercentOfOneCore: ((cpu.user + cpu.system) / 1e6 / elapsed) * 100,
      totalReceived: received,
    };
    const f = (n: number): string => n.toFixed(3);
    process.stdout.write(
      `end-to-end ${size} B at ${rate} msg/s (${flushDiskType}): sent ${Math.round(result.sentPerSec)} msg/s, ` +
        `latency p50 ${f(result.latencyMs.p50)} ms, p90 ${f(result.latencyMs.p90)} ms, ` +
        `p99 ${f(result.latencyMs.p99)} ms, p99.9 ${f(result.latencyMs.p999)} ms, max ${f(result.latencyMs.max)} ms; ` +
        `client CPU ${result.clientCpuMicrosPerMessage.toFixed(1)} µs/msg ` +
        `(user ${result.clientUserMicrosPerMessage.toFixed(1)}, system ${result.clientSystemMicrosPerMessage.toFixed(1)}) ` +
        `(${result.clientCpuPercentOfOneCore.toFixed(0)}% of a core); send errors ${sendErrors}\n`,
    );
    const outDir = path.join(WORKSPACE, 'load-tests/results');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `e2e-latency-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    process.stdout.write(`results written to ${path.relative(WORKSPACE, file)}\n`);
  } finally {
    await consumer.shutdown().catch(() => undefined);
    await producer.shutdown().catch(() => undefined);
    await broker.stop();
    await namesrv.shutdown();
    await dir.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
