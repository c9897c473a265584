/**
 * 延迟消息可以精确到毫秒吗？ (Can a delayed message be precise to the millisecond?) — proved against the
 * real broker: a 4.x delay level (fixed steps, here scaled 100x down: level 5 = 1 min → 600 ms) and 5.x
 * timer messages (delayTimeMs / deliverTimeMs, rounded down to the broker's 100 ms wheel slot) are
 * delivered after their delay, not before, while a plain message sent with them arrives at once.
 */
import { MessageConst, Producer, PushConsumer, type MessageExt } from '@flashsale/mq';
import { type TestCluster, startTestCluster, uniqueName, waitFor } from './support/client-test-helpers';

const PRECISION = 100;

let cluster: TestCluster;
let producer: Producer;
let consumer: PushConsumer | undefined;

beforeAll(async () => {
  cluster = await startTestCluster({ brokerConfig: { delayLevelScale: 0.01, timerPrecisionMs: PRECISION } });
  producer = new Producer({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') });
  await producer.start();
});

afterAll(async () => {
  await consumer?.shutdown();
  await producer.shutdown();
  await cluster.stop();
});

it('delivers delay-level and timer messages after their delay, plain ones at once', async () => {
  const topic = uniqueName('Delayed');
  const arrivals = new Map<string, { message: MessageExt; at: number }>();
  consumer = new PushConsumer({
    nameServer: cluster.namesrvAddr,
    consumerGroup: uniqueName('cg'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener((messages) => {
    for (const message of messages) arrivals.set(message.body.toString(), { message, at: Date.now() });
    return 'CONSUME_SUCCESS';
  });
  await producer.send({ topic, body: 'warm-up' });
  await consumer.start();
  await waitFor(() => arrivals.has('warm-up'), 'the consumer to be running');

  const sentAt = Date.now();
  await Promise.all([
    producer.send({ topic, body: 'plain' }),
    producer.send({ topic, body: 'level-5', delayTimeLevel: 5 }),
    producer.send({ topic, body: 'delay-ms', delayTimeMs: 800 }),
    producer.send({ topic, body: 'deliver-at', deliverTimeMs: sentAt + 1200 }),
  ]);
  await waitFor(() => arrivals.size === 5, 'all four messages', 20_000);

  const after = (body: string) => arrivals.get(body)!.at - sentAt;
  expect(after('plain')).toBeLessThan(500);
  expect(after('level-5')).toBeGreaterThanOrEqual(600 - 20);
  expect(after('delay-ms')).toBeGreaterThanOrEqual(800 - PRECISION);
  expect(after('deliver-at')).toBeGreaterThanOrEqual(1200 - PRECISION - 20);
  // Each arrives on its real topic; the DELAY level that parked it is gone.
  const delayed = arrivals.get('level-5')!.message;
  expect(delayed.topic).toBe(topic);
  expect(delayed.properties[MessageConst.DELAY]).toBeUndefined();
  expect(arrivals.get('delay-ms')!.message.topic).toBe(topic);
  expect(after('deliver-at')).toBeGreaterThan(after('delay-ms'));
}, 30_000);
