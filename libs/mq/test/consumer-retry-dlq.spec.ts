/**
 * 消费失败的消息如何处理？有死信队列吗？ (What happens to a message whose consumption fails? Is there a
 * dead-letter queue?) — proved against the real broker over TCP: a listener that always fails gets the
 * message back through %RETRY%<group> with reconsumeTimes 1, 2, 3 after growing (scaled) delays, then
 * the message sits in %DLQ%<group> with its original id, topic and properties, and an admin resend
 * delivers it again. Also: a listener call that hangs past consumeTimeout has its message sent back.
 *
 * The broker runs its delay levels 50x faster (delayLevelScale 0.02): level 3 = 200 ms, 4 = 600 ms,
 * 5 = 1.2 s.
 */
import { AdminClient, MessageConst, Producer, PushConsumer, type MessageExt } from '@flashsale/mq';
import { type TestCluster, startTestCluster, uniqueName, waitFor } from './support/client-test-helpers';

const SCALE = 0.02;
const LEVEL_MILLIS = [1000, 5000, 10_000, 30_000, 60_000, 120_000].map((ms) => ms * SCALE);

let cluster: TestCluster;
let producer: Producer;
let admin: AdminClient;
const consumers: PushConsumer[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ brokerConfig: { delayLevelScale: SCALE } });
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

interface Delivery {
  message: MessageExt;
  at: number;
}

function newConsumer(group: string, extra: Partial<ConstructorParameters<typeof PushConsumer>[0]> = {}) {
  const consumer = new PushConsumer({
    nameServer: cluster.namesrvAddr,
    consumerGroup: group,
    instanceName: uniqueName('i'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    ...extra,
  });
  consumers.push(consumer);
  return consumer;
}

describe('retries and the dead-letter queue (concurrent consumer)', () => {
  it('retries with growing delays, then parks the message in %DLQ% where admin can resend it', async () => {
    const topic = uniqueName('RetryTopic');
    const group = uniqueName('cg');
    const deliveries: Delivery[] = [];
    let failing = true;
    const consumer = newConsumer(group, { maxReconsumeTimes: 3 });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((messages) => {
      for (const message of messages) deliveries.push({ message, at: Date.now() });
      return failing ? 'RECONSUME_LATER' : 'CONSUME_SUCCESS';
    });
    await consumer.start();

    const sent = await producer.send({
      topic,
      body: 'charge order 42',
      tags: 'Charge',
      keys: 'order-42',
      properties: { traceId: 't-42' },
    });

    // The first delivery plus 3 retries, then the DLQ.
    await waitFor(() => deliveries.length >= 4, '4 deliveries', 30_000);
    const dead = await waitForDeadLetters(group, 1);
    expect(deliveries).toHaveLength(4);

    expect(deliveries.map((d) => d.message.reconsumeTimes)).toEqual([0, 1, 2, 3]);
    for (const { message } of deliveries) {
      // The consumer restores the topic from RETRY_TOPIC: a retry looks like the first delivery.
      expect(message.topic).toBe(topic);
      expect(message.msgId).toBe(sent.msgId);
      expect(message.body.toString()).toBe('charge order 42');
      expect(message.keys).toEqual(['order-42']);
      expect(message.properties.traceId).toBe('t-42');
    }
    // Retry n waits delay level 3 + (n - 1): 200 ms, 600 ms, 1.2 s — each gap at least its level.
    const gaps = deliveries.slice(1).map((d, i) => d.at - deliveries[i].at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(LEVEL_MILLIS[2 + i] - 50));
    expect(gaps[2]).toBeGreaterThan(gaps[0]);

    // In the DLQ: original msgId, original topic (RETRY_TOPIC), tags, keys and user properties.
    const [letter] = dead;
    expect(letter.topic).toBe(`%DLQ%${group}`);
    expect(letter.msgId).toBe(sent.msgId);
    expect(letter.properties[MessageConst.RETRY_TOPIC]).toBe(topic);
    expect(letter.tags).toBe('Charge');
    expect(letter.keys).toEqual(['order-42']);
    expect(letter.properties.traceId).toBe('t-42');
    expect(letter.body.toString()).toBe('charge order 42');
    expect(letter.reconsumeTimes).toBeGreaterThanOrEqual(3);

    // The bug is fixed: resend it. It comes back as a new message on the original topic.
    failing = false;
    const resent = await admin.resendDeadLetterMessage(group, letter.msgId);
    expect(resent.sendStatus).toBe('SEND_OK');
    expect(resent.messageQueue.topic).toBe(topic);
    expect(resent.msgId).not.toBe(sent.msgId);
    await waitFor(
      () => deliveries.some((d) => d.message.msgId === resent.msgId),
      'the resent message',
      20_000,
    );
    const again = deliveries.find((d) => d.message.msgId === resent.msgId)!.message;
    expect(again.reconsumeTimes).toBe(0);
    expect(again.body.toString()).toBe('charge order 42');
    expect(again.tags).toBe('Charge');
    expect(again.keys).toEqual(['order-42']);
    expect(again.properties.traceId).toBe('t-42');
    expect(again.properties[MessageConst.ORIGIN_MESSAGE_ID]).toBe(sent.msgId);
  }, 60_000);

  it('uses context.delayLevelWhenNextConsume for the retry delay', async () => {
    const topic = uniqueName('RetryLevel');
    const group = uniqueName('cg');
    const deliveries: Delivery[] = [];
    const consumer = newConsumer(group);
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((messages, context) => {
      for (const message of messages) deliveries.push({ message, at: Date.now() });
      if (deliveries.length > 1) return 'CONSUME_SUCCESS';
      context.delayLevelWhenNextConsume = 5; // 1 min → 1.2 s scaled, instead of level 3 (200 ms)
      return 'RECONSUME_LATER';
    });
    await consumer.start();
    await producer.send({ topic, body: 'later' });
    await waitFor(() => deliveries.length >= 2, 'the retry', 20_000);
    expect(deliveries[1].message.reconsumeTimes).toBe(1);
    expect(deliveries[1].at - deliveries[0].at).toBeGreaterThanOrEqual(LEVEL_MILLIS[4] - 50);
  }, 30_000);

  it('sends back a message whose listener call hangs longer than consumeTimeout', async () => {
    const topic = uniqueName('Hang');
    const group = uniqueName('cg');
    const deliveries: Delivery[] = [];
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const consumer = newConsumer(group, { consumeTimeoutMillis: 500 });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener(async (messages) => {
      for (const message of messages) deliveries.push({ message, at: Date.now() });
      if (messages[0].reconsumeTimes === 0) await hung; // stuck, e.g. on a dead downstream call
      return 'CONSUME_SUCCESS' as const;
    });
    await consumer.start();
    await producer.send({ topic, body: 'stuck' });
    await waitFor(() => deliveries.length >= 2, 'the timed-out message to come back', 20_000);
    expect(deliveries[1].message.reconsumeTimes).toBe(1);
    expect(deliveries[1].message.body.toString()).toBe('stuck');
    expect(deliveries[1].at - deliveries[0].at).toBeGreaterThanOrEqual(500);
    release();
  }, 30_000);
});

async function waitForDeadLetters(group: string, count: number): Promise<MessageExt[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const letters = await admin.queryDeadLetterMessages(group, { maxNum: 10 }).catch(() => []);
    if (letters.length >= count) return letters;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} dead letter(s) of ${group}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
