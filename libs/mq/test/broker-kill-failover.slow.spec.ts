/**
 * Broker failover (issue acceptance): with two brokers registered, a producer keeps sending when one
 * broker is killed (retry to the other); a consumer keeps consuming from the one that is left.
 *
 * Real processes: an in-process NameServer and two broker child processes (main.ts); broker-b gets a
 * real SIGKILL while the producer sends every ~5 ms and a clustering PushConsumer consumes.
 *
 * What is expected, RocketMQ-wise: the producer's route cache still lists broker-b (it refreshes every
 * 30 s), so the first send that picks a broker-b queue after the kill fails on the connection and is
 * retried on broker-a inside the same send() (retryTimesWhenSendFailed = 2, a different broker for the
 * retry); the latency fault tolerance then keeps the producer off broker-b. Messages acknowledged by
 * broker-b before the kill stay on broker-b's disk: the consumer cannot get those not yet consumed
 * until broker-b is back — that is not a loss, and this test only reports how many there were.
 */
import { AdminClient, Producer, PushConsumer, type MessageExt, type SendResult } from '@flashsale/mq';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type BrokerProcess, spawnBrokerProcess } from '../../../apps/broker/test/support/broker-harness';
import {
  type TestCluster,
  type TestDir,
  makeTestDir,
  sleep,
  startTestCluster,
  uniqueName,
  unusedPort,
  waitFor,
} from './support/client-test-helpers';

jest.setTimeout(120_000);

const SEND_BEFORE_KILL_MILLIS = 1000;
const SEND_AFTER_KILL_MILLIS = 3000;
const SEND_INTERVAL_MILLIS = 5;

interface SendRecord {
  index: number;
  body: string;
  issuedAt: number;
  doneAt: number;
  result?: SendResult;
  error?: string;
}

describe('producer and consumer when a broker is killed (slow)', () => {
  let cluster: TestCluster | undefined;
  const dirs: TestDir[] = [];
  const brokers: BrokerProcess[] = [];
  let producer: Producer | undefined;
  let consumer: PushConsumer | undefined;
  let admin: AdminClient | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster({ brokers: 0 });
    for (const brokerName of ['broker-a', 'broker-b']) {
      const dir = await makeTestDir(`failover-${brokerName}-`);
      dirs.push(dir);
      brokers.push(
        await spawnBrokerProcess({
          storeDir: dir.path,
          namesrvAddr: cluster.namesrvAddr,
          port: await unusedPort(),
          brokerName,
        }),
      );
    }
  });

  afterAll(async () => {
    // Bounded: a consumer shutdown may spend a while on the dead broker; never hang the run on it.
    const bounded = async (work: Promise<unknown> | undefined): Promise<void> => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        work?.catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, 15_000))),
      ]);
      clearTimeout(timer);
    };
    const closing = Date.now();
    await bounded(consumer?.shutdown());
    await bounded(producer?.shutdown());
    console.log(`[broker-kill-failover] client shutdown took ${Date.now() - closing} ms`);
    admin?.close();
    for (const broker of brokers) await broker.kill9();
    await cluster?.stop();
    for (const dir of dirs) await dir.remove();
  });

  it('keeps sending on broker-a and consuming from it after broker-b is SIGKILLed', async () => {
    const namesrvAddr = cluster!.namesrvAddr;
    const topic = uniqueName('KillFailover');
    admin = new AdminClient({ nameServer: namesrvAddr });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const info = await admin.getClusterInfo();
      if (Object.keys(info.brokerAddrTable).length === 2) break;
      if (Date.now() > deadline) throw new Error('both brokers did not register');
      await sleep(100);
    }
    await admin.createTopic(topic, { readQueueNums: 4, writeQueueNums: 4 });

    const received: MessageExt[] = [];
    consumer = new PushConsumer({
      nameServer: namesrvAddr,
      consumerGroup: uniqueName('cg'),
      instanceName: 'failover-consumer',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      persistConsumerOffsetInterval: 1000,
    });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((messages) => {
      received.push(...messages);
      return 'CONSUME_SUCCESS';
    });
    await consumer.start();
    await waitFor(() => consumer!.assignedQueues.length === 8, 'the consumer to own all 8 queues');

    const producerWarnings: string[] = [];
    producer = new Producer({
      nameServer: namesrvAddr,
      producerGroup: uniqueName('pg'),
      instanceName: 'failover-producer',
      logger: {
        info: () => undefined,
        debug: () => undefined,
        warn: (message) => producerWarnings.push(`${Date.now()} ${message}`),
        error: (message) => producerWarnings.push(`${Date.now()} ERROR ${message}`),
      },
    });
    await producer.start();

    // ---- send continuously; SIGKILL broker-b after ~1 s; keep going ~3 s more ----
    const records: SendRecord[] = [];
    let stopAt = Number.POSITIVE_INFINITY;
    const hardStop = Date.now() + 30_000;
    const sending = (async () => {
      for (let index = 0; Date.now() < stopAt && Date.now() < hardStop; index++) {
        const record: SendRecord = { index, body: `m${index}`, issuedAt: Date.now(), doneAt: 0 };
        records.push(record);
        try {
          record.result = await producer!.send({ topic, body: record.body });
        } catch (error) {
          record.error = String(error);
        }
        record.doneAt = Date.now();
        await sleep(SEND_INTERVAL_MILLIS);
      }
    })();

    await sleep(SEND_BEFORE_KILL_MILLIS);
    const killStartedAt = Date.now();
    const brokerB = brokers[1];
    await brokerB.kill9();
    const killedAt = Date.now();
    expect((await brokerB.exited).signal).toBe('SIGKILL');
    stopAt = killedAt + SEND_AFTER_KILL_MILLIS;
    await sending;

    const before = records.filter((r) => r.doneAt < killStartedAt);
    const around = records.filter((r) => r.doneAt >= killStartedAt && r.issuedAt < killedAt);
    const after = records.filter((r) => r.issuedAt >= killedAt);
    const failed = records.filter((r) => r.error !== undefined);
    const onBroker = (list: SendRecord[], name: string): SendRecord[] =>
      list.filter((r) => r.result?.messageQueue.brokerName === name);
    const latency = (list: SendRecord[]): number => Math.max(0, ...list.map((r) => r.doneAt - r.issuedAt));

    // Wait (bounded) until the consumer has every message acknowledged by broker-a.
    const receivedBodies = new Set<string>();
    const track = (): number => {
      for (const message of received) receivedBodies.add(message.body.toString());
      return receivedBodies.size;
    };
    const expectedOnA = onBroker(records, 'broker-a').map((r) => r.body);
    await waitFor(
      () => (track(), expectedOnA.every((body) => receivedBodies.has(body))),
      'the consumer to receive every message broker-a acknowledged',
      20_000,
    ).catch(() => undefined);
    track();

    const beforeOnB = onBroker(before, 'broker-b');
    const beforeOnBReceived = beforeOnB.filter((r) => receivedBodies.has(r.body)).length;
    const afterMissing = after.filter((r) => !receivedBodies.has(r.body)).map((r) => r.body);
    const duplicates = received.length - receivedBodies.size;
    console.log(
      [
        `[broker-kill-failover] sent ${records.length}: before kill ${before.length} ` +
          `(broker-a ${onBroker(before, 'broker-a').length}, broker-b ${beforeOnB.length}), ` +
          `around the kill ${around.length} (${around.map((r) => r.result?.messageQueue.brokerName ?? r.error).join(', ')}), ` +
          `after ${after.length} (broker-a ${onBroker(after, 'broker-a').length}); threw ${failed.length}`,
        `max send latency before ${latency(before)} ms, around ${latency(around)} ms, after ${latency(after)} ms`,
        `consumer: received ${receivedBodies.size} distinct (+${duplicates} duplicates); after-kill missing ${afterMissing.length}; ` +
          `broker-b's pre-kill messages received ${beforeOnBReceived}/${beforeOnB.length} (the rest wait on broker-b's disk)`,
        `producer warnings: ${producerWarnings.length ? producerWarnings.join(' | ') : 'none'}`,
      ].join('\n'),
    );

    // Both brokers took traffic before the kill, and there was real traffic after it.
    expect(onBroker(before, 'broker-a').length).toBeGreaterThan(0);
    expect(beforeOnB.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(100);
    // No send threw, every one answered SEND_OK; everything after the kill went to broker-a.
    expect(failed.map((r) => `${r.body}: ${r.error}`)).toEqual([]);
    expect(records.filter((r) => r.result?.sendStatus !== 'SEND_OK')).toEqual([]);
    expect(after.filter((r) => r.result?.messageQueue.brokerName !== 'broker-a').map((r) => r.body)).toEqual(
      [],
    );
    // The consumer received every message sent after the kill (and all of broker-a's before it), from broker-a.
    expect(afterMissing).toEqual([]);
    expect(expectedOnA.filter((body) => !receivedBodies.has(body))).toEqual([]);
    const afterBodies = new Set(after.map((r) => r.body));
    expect(received.filter((m) => afterBodies.has(m.body.toString()) && m.brokerName !== 'broker-a')).toEqual(
      [],
    );
  });
});
