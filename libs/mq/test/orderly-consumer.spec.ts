/**
 * RocketMQ 如何实现顺序消息？对吞吐有影响吗？ (How does RocketMQ implement ordered messages?) — proved
 * against the real broker: 1,000 orders × 5 status changes, sent with hashSelector(orderId) to a topic
 * of 8 queues, consumed by an orderly consumer whose listener fails 5% of the time, while a second
 * consumer joins the group and later leaves. Every order's changes are applied in the order they were
 * sent, none is lost, and the queue locks keep two consumers from ever holding one queue at once.
 * Plus: a message that keeps failing is retried in place maxReconsumeTimes times, then goes to the DLQ
 * and the queue moves on.
 */
import {
  AdminClient,
  MessageConst,
  Producer,
  PushConsumer,
  hashSelector,
  type MessageExt,
} from '@flashsale/mq';
import {
  type TestCluster,
  sleep,
  startTestCluster,
  uniqueName,
  waitFor,
} from './support/client-test-helpers';

const ORDERS = 1000;
const STATUSES = ['CREATED', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED'];

let cluster: TestCluster;
let producer: Producer;
let admin: AdminClient;
const consumers: PushConsumer[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ brokerConfig: { delayLevelScale: 0.01 } });
  producer = new Producer({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') });
  await producer.start();
  admin = new AdminClient({ nameServer: cluster.namesrvAddr });
});

afterEach(async () => {
  for (const consumer of consumers.splice(0)) await consumer.shutdown();
});

afterAll(async () => {
  await producer.shutdown();
  admin.close();
  await cluster.stop();
});

function orderlyConsumer(group: string, instanceName: string, extra: object = {}): PushConsumer {
  const consumer = new PushConsumer({
    nameServer: cluster.namesrvAddr,
    consumerGroup: group,
    instanceName,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    rebalanceInterval: 1000,
    lockIntervalMillis: 1000,
    suspendCurrentQueueTimeMillis: 50,
    ...extra,
  });
  consumers.push(consumer);
  return consumer;
}

describe('orderly consumption', () => {
  it('applies each order’s status changes in the order sent while consumers join and leave, 5% failing', async () => {
    const topic = uniqueName('OrderStatus');
    const group = uniqueName('notify');
    await admin.createTopic(topic, { readQueueNums: 8, writeQueueNums: 8 });

    /** Per order, the statuses whose listener call succeeded, in the order it happened. */
    const applied = new Map<string, number[]>();
    /** Queue → client ids that were inside a listener call for it at the same moment (must stay 1). */
    const inFlight = new Map<number, Set<string>>();
    let overlaps = 0;
    let failures = 0;
    let successes = 0;
    const successesBy = { a: 0, b: 0 };
    let random = 42;
    const nextRandom = () => (random = (random * 1103515245 + 12345) % 2147483648) / 2147483648;

    const listenerFor = (clientName: string) => async (messages: MessageExt[]) => {
      const [message] = messages;
      const holders = inFlight.get(message.queueId) ?? new Set<string>();
      inFlight.set(message.queueId, holders);
      holders.add(clientName);
      if (holders.size > 1) overlaps++;
      try {
        await sleep(1);
        if (nextRandom() < 0.05) {
          failures++;
          if (failures % 2 === 0) throw new Error('SMS gateway timeout');
          return 'SUSPEND_CURRENT_QUEUE_A_MOMENT' as const;
        }
        const [orderId, step] = message.body.toString().split(':');
        const steps = applied.get(orderId) ?? [];
        steps.push(Number(step));
        applied.set(orderId, steps);
        successes++;
        successesBy[clientName as 'a' | 'b']++;
        return 'SUCCESS' as const;
      } finally {
        holders.delete(clientName);
      }
    };

    const a = orderlyConsumer(group, uniqueName('a'));
    a.subscribe(topic, '*');
    a.registerMessageListenerOrderly(listenerFor('a'));
    await a.start();

    const orderIds = Array.from({ length: ORDERS }, (_, i) => `order-${i}`);
    for (let step = 0; step < STATUSES.length; step++) {
      // Each order's step n is acknowledged before its step n + 1 is sent: the send order is defined.
      await Promise.all(
        orderIds.map((orderId) =>
          producer.send(
            { topic, body: `${orderId}:${step}:${STATUSES[step]}`, keys: orderId },
            { selector: hashSelector(orderId) },
          ),
        ),
      );
    }
    const total = ORDERS * STATUSES.length;

    await waitFor(() => successes >= total * 0.3, '30% consumed', 60_000);
    const b = orderlyConsumer(group, uniqueName('b'));
    b.subscribe(topic, '*');
    b.registerMessageListenerOrderly(listenerFor('b'));
    await b.start();
    await waitFor(
      () => b.assignedQueues.some((mq) => mq.topic === topic),
      'the joining consumer to own queues',
      20_000,
    );
    await waitFor(() => successes >= total * 0.7, '70% consumed', 60_000);
    await b.shutdown();

    await waitFor(
      () => [...applied.values()].reduce((n, steps) => n + new Set(steps).size, 0) >= total,
      'every change',
      90_000,
    );

    let duplicates = 0;
    for (const orderId of orderIds) {
      const steps = applied.get(orderId) ?? [];
      // First appearances are exactly 0..4 in order: nothing lost, nothing overtaken.
      expect([...new Set(steps)]).toEqual([0, 1, 2, 3, 4]);
      // A redelivery (if any) replays from some point onward; a step never comes before its predecessor.
      steps.forEach((step, i) => {
        if (step > 0) expect(steps.slice(0, i)).toContain(step - 1);
      });
      duplicates += steps.length - new Set(steps).size;
    }
    expect(failures).toBeGreaterThan(0);
    // Both consumers really took part: the hand-overs happened mid-run.
    expect(successesBy.b).toBeGreaterThan(0);
    expect(successesBy.a).toBeGreaterThan(successesBy.b);
    expect(overlaps).toBe(0);
    // Locks plus "persist the offset before unlocking" make the hand-overs duplicate-free.
    expect({ duplicates, failures }).toEqual({ duplicates: 0, failures });
  }, 180_000);

  it('retries a failing message in place maxReconsumeTimes times, then sends it to the DLQ and moves on', async () => {
    const topic = uniqueName('OrderPoison');
    const group = uniqueName('notify');
    await admin.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const seen: { body: string; reconsumeTimes: number; at: number }[] = [];
    const consumer = orderlyConsumer(group, uniqueName('c'), {
      maxReconsumeTimes: 3,
      suspendCurrentQueueTimeMillis: 100,
    });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListenerOrderly(([message]) => {
      seen.push({ body: message.body.toString(), reconsumeTimes: message.reconsumeTimes, at: Date.now() });
      return message.body.toString() === 'poison' ? 'SUSPEND_CURRENT_QUEUE_A_MOMENT' : 'SUCCESS';
    });
    await consumer.start();
    const poison = await producer.send({ topic, body: 'poison', keys: 'order-7', properties: { step: '1' } });
    await producer.send({ topic, body: 'after' });

    await waitFor(
      () => seen.some((entry) => entry.body === 'after'),
      'the message behind the poison one',
      20_000,
    );
    const poisonTries = seen.filter((entry) => entry.body === 'poison');
    expect(poisonTries.map((entry) => entry.reconsumeTimes)).toEqual([0, 1, 2, 3]);
    // Retried in place after the suspend time, before anything behind it.
    poisonTries
      .slice(1)
      .forEach((entry, i) => expect(entry.at - poisonTries[i].at).toBeGreaterThanOrEqual(90));
    expect(seen.map((entry) => entry.body)).toEqual(['poison', 'poison', 'poison', 'poison', 'after']);

    let dead: MessageExt[] = [];
    const deadline = Date.now() + 20_000;
    while (dead.length === 0 && Date.now() < deadline) {
      dead = await admin.queryDeadLetterMessages(group);
      if (dead.length === 0) await sleep(100);
    }
    expect(dead).toHaveLength(1);
    expect(dead[0].msgId).toBe(poison.msgId);
    expect(dead[0].properties[MessageConst.RETRY_TOPIC]).toBe(topic);
    expect(dead[0].properties.step).toBe('1');
    expect(dead[0].keys).toEqual(['order-7']);
    // It went to the DLQ directly: never redelivered through %RETRY%.
    await sleep(300);
    expect(seen.filter((entry) => entry.body === 'poison')).toHaveLength(4);
    // The committed offset is past both messages.
    await consumer.shutdown();
    const committed = await admin.queryConsumerOffset(group, poison.messageQueue);
    expect(committed).toBe(poison.queueOffset + 2);
  }, 60_000);
});
