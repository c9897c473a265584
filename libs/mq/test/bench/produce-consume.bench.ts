/**
 * Client throughput against a broker in a child process (so client and broker do not share one event
 * loop). Prints numbers; asserts nothing. Run:
 *   node -r @swc-node/register libs/mq/test/bench/produce-consume.bench.ts [messages] [window] [bodyBytes]
 */
// eslint-disable-next-line @nx/enforce-module-boundaries
import { spawnBrokerProcess } from '../../../../apps/broker/test/support/broker-harness';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { NamesrvController } from '../../../../apps/broker/src/namesrv/namesrv-controller';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { silentBrokerLogger } from '../../../../apps/broker/src/broker-logger';
import { AdminClient, Producer, PushConsumer } from '@flashsale/mq';
import { makeTestDir, unusedPort } from '../support/client-test-helpers';

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 300_000);
  const window = Number(process.argv[3] ?? 2000);
  const bodyBytes = Number(process.argv[4] ?? 100);
  const namesrv = new NamesrvController({ listenPort: 0, host: '127.0.0.1', logger: silentBrokerLogger });
  await namesrv.start();
  const namesrvAddr = `127.0.0.1:${namesrv.port}`;
  const dir = await makeTestDir('mq-bench-');
  const broker = await spawnBrokerProcess({ storeDir: dir.path, namesrvAddr, port: await unusedPort() });
  const topic = `Bench_${Date.now()}`;
  try {
    const admin = new AdminClient({ nameServer: namesrvAddr });
    for (;;) {
      try {
        await admin.createTopic(topic, { readQueueNums: 8, writeQueueNums: 8 });
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200)); // broker still registering
      }
    }
    admin.close();

    const producer = new Producer({ nameServer: namesrvAddr, producerGroup: 'bench-pg' });
    await producer.start();
    const body = Buffer.alloc(bodyBytes, 'x');
    await producer.send({ topic, body });
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      let issued = 0;
      let done = 0;
      const pump = (): void => {
        while (inFlight < window && issued < total) {
          inFlight++;
          issued++;
          producer.send({ topic, body }).then(() => {
            inFlight--;
            done++;
            if (done === total) resolve();
            else pump();
          }, reject);
        }
      };
      pump();
    });
    const produceSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `produce: ${total} x ${bodyBytes} B, window ${window}: ${Math.round(total / produceSeconds)} msgs/s (${produceSeconds.toFixed(2)} s)`,
    );
    await producer.shutdown();

    let consumed = 0;
    const consumer = new PushConsumer({
      nameServer: namesrvAddr,
      consumerGroup: 'bench-cg',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      consumeConcurrency: 64,
    });
    consumer.subscribe(topic);
    let finish: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (finish = resolve));
    consumer.registerMessageListener((messages) => {
      consumed += messages.length;
      if (consumed >= total + 1) finish();
      return 'CONSUME_SUCCESS';
    });
    const consumeStarted = process.hrtime.bigint();
    await consumer.start();
    await all;
    const consumeSeconds = Number(process.hrtime.bigint() - consumeStarted) / 1e9;
    console.log(
      `consume: ${consumed} msgs: ${Math.round(consumed / consumeSeconds)} msgs/s (${consumeSeconds.toFixed(2)} s)`,
    );
    await consumer.shutdown();
  } finally {
    await broker.stop();
    await namesrv.shutdown();
    await dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
