/**
 * End-to-end latency and client CPU cost: producer → broker → push consumer, through our client and a
 * broker in a child process. Prints numbers and writes JSON to load-tests/results/; asserts nothing.
 *
 *   node -r @swc-node/register libs/mq/test/bench/end-to-end-latency.bench.ts \
 *     [--rate 5000] [--seconds 10] [--warmup 2] [--size 1024] [--flush ASYNC_FLUSH]
 *     [--broker-node-args "<node flags>"]
 *
 * The measurement itself (steady-rate-latency.ts): the producer sends at a steady rate (a batch of sends
 * every millisecond, not waiting for each one); each body starts with its send time from this process's
 * monotonic clock, and the consumer, in the same process, measures "sent → handed to the listener".
 * The first `warmup` seconds are not counted. Client CPU is this process's user + system time over the
 * measured window (producer, consumer and the in-process NameServer, which is idle after start-up),
 * divided by the messages sent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { spawnBrokerProcess } from '../../../../apps/broker/test/support/broker-harness';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { NamesrvController } from '../../../../apps/broker/src/namesrv/namesrv-controller';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { silentBrokerLogger } from '../../../../apps/broker/src/broker-logger';
import { AdminClient } from '@flashsale/mq';
import { BROKER_NODE_ARGS } from '@flashsale/testing';
import { makeTestDir, unusedPort } from '../support/client-test-helpers';
import { measureSteadyRateLatency, type SteadyRateResult } from './steady-rate-latency';

const WORKSPACE = path.resolve(__dirname, '../../../..');

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

async function createTopic(nameServer: string, topic: string): Promise<void> {
  const admin = new AdminClient({ nameServer });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.createTopic(topic, { readQueueNums: 8, writeQueueNums: 8 });
        return;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200)); // broker still registering
      }
    }
  } finally {
    admin.close();
  }
}

function report(result: SteadyRateResult, flushDiskType: string): void {
  const f = (n: number): string => n.toFixed(3);
  const e2e = result.endToEndMs;
  process.stdout.write(
    `end-to-end ${result.bodyBytes} B at ${result.rate} msg/s (${flushDiskType}): sent ${Math.round(result.sentPerSec)} msg/s, ` +
      `latency p50 ${f(e2e.p50)} ms, p90 ${f(e2e.p90)} ms, p99 ${f(e2e.p99)} ms, p99.9 ${f(e2e.p999)} ms, ` +
      `max ${f(e2e.max)} ms; send ack p99 ${f(result.sendAckMs.p99)} ms; ` +
      `client CPU ${result.clientCpuMicrosPerMessage.toFixed(1)} µs/msg; ` +
      `client GC ${result.clientGc.count}× (max ${result.clientGc.maxMs.toFixed(1)} ms); send errors ${result.sendErrors}\n`,
  );
}

async function main(): Promise<void> {
  const flushDiskType = option('flush', 'ASYNC_FLUSH') as 'ASYNC_FLUSH' | 'SYNC_FLUSH';
  const namesrv = new NamesrvController({ listenPort: 0, host: '127.0.0.1', logger: silentBrokerLogger });
  await namesrv.start();
  const nameServer = `127.0.0.1:${namesrv.port}`;
  const dir = await makeTestDir('mq-latency-bench-');
  const broker = await spawnBrokerProcess({
    storeDir: dir.path,
    namesrvAddr: nameServer,
    port: await unusedPort(),
    flushDiskType,
    // As `npx nx serve broker` runs it (see apps/broker/README.md, Performance), unless told otherwise.
    nodeArgs: option('broker-node-args', BROKER_NODE_ARGS.join(' ')).split(' ').filter(Boolean),
  });
  try {
    const topic = `Latency_${Date.now()}`;
    await createTopic(nameServer, topic);
    const result = await measureSteadyRateLatency({
      nameServer,
      topic,
      rate: Number(option('rate', '5000')),
      seconds: Number(option('seconds', '10')),
      warmupSeconds: Number(option('warmup', '2')),
      bodyBytes: Number(option('size', '1024')),
      group: 'latency',
    });
    report(result, flushDiskType);
    const outDir = path.join(WORKSPACE, 'load-tests/results');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `e2e-latency-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ flushDiskType, ...result }, null, 2));
    process.stdout.write(`results written to ${path.relative(WORKSPACE, file)}\n`);
  } finally {
    await broker.stop();
    await namesrv.shutdown();
    await dir.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
