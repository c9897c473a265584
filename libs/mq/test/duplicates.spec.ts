/**
 * 消息重复的原因 / 如何保证消息幂等？ (Why are messages duplicated? How do you make consumption
 * idempotent?) — the two ways one business fact reaches a consumer twice, each reproduced with our
 * broker and client over real TCP (docs/duplicates.md explains them and the fix):
 *
 * (a) the producer never learns that its send succeeded — the connection dies after the broker stored
 *     the message (the client retries: same msgId, two offsets), or the answer comes after the timeout
 *     (the application retries: a new msgId, same business key);
 * (b) the consumer applied a message but died before its offset reached the broker: the next consumer
 *     of the group starts from the old offset and gets it again.
 *
 * The broker advertises 127.0.0.2 (a FaultyTcpProxy) and listens on 127.0.0.1, so every client
 * connection to it runs through the proxy, which can lose or delay one response.
 */
import {
  AdminClient,
  MQClientError,
  MQClientInstance,
  Producer,
  PushConsumer,
  type MessageExt,
} from '@flashsale/mq';
import { FaultyTcpProxy } from './support/faulty-tcp-proxy';
import {
  type TestCluster,
  sleep,
  startTestCluster,
  uniqueName,
  waitFor,
} from './support/client-test-helpers';

let cluster: TestCluster;
let proxy: FaultyTcpProxy;
let admin: AdminClient;
const consumers: PushConsumer[] = [];
const producers: Producer[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ brokerConfig: { listenHost: '127.0.0.1', brokerIP1: '127.0.0.2' } });
  proxy = await FaultyTcpProxy.start('127.0.0.2', '127.0.0.1', cluster.brokers[0].config.listenPort);
  admin = new AdminClient({ nameServer: cluster.namesrvAddr });
});

afterEach(async () => {
  for (const consumer of consumers.splice(0)) await consumer.shutdown();
  for (const producer of producers.splice(0)) await producer.shutdown();
});

afterAll(async () => {
  admin.close();
  await proxy.close();
  await cluster.stop();
});

async function startProducer(sendMsgTimeout = 3000): Promise<Producer> {
  const producer = new Producer({
    nameServer: cluster.namesrvAddr,
    producerGroup: uniqueName('pg'),
    instanceName: uniqueName('p'),
    sendMsgTimeout,
  });
  producers.push(producer);
  await producer.start();
  return producer;
}

async function startConsumer(
  group: string,
  topic: string,
  onMessage: (message: MessageExt) => void | Promise<void>,
  instanceName = uniqueName('c'),
  extra: object = {},
): Promise<PushConsumer> {
  const consumer = new PushConsumer({
    nameServer: cluster.namesrvAddr,
    consumerGroup: group,
    instanceName,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    ...extra,
  });
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener(async (messages) => {
    for (const message of messages) await onMessage(message);
    return 'CONSUME_SUCCESS' as const;
  });
  consumers.push(consumer);
  await consumer.start();
  return consumer;
}

/** What service-kit's consumeOnce does with a unique (group, key) row, here in memory. */
function idempotentHandler(applied: string[]) {
  const processed = new Set<string>();
  return (message: MessageExt) => {
    const businessKey = message.keys[0];
    if (processed.has(businessKey)) return;
    processed.add(businessKey);
    applied.push(businessKey);
  };
}

describe('(a) the producer does not learn that its send succeeded', () => {
  it('a connection lost after the broker stored the message: the client retries, the message is stored twice under one msgId', async () => {
    const topic = uniqueName('DupRetry');
    await admin.createTopic(topic, { readQueueNums: 4, writeQueueNums: 4 });
    const producer = await startProducer();
    await producer.send({ topic, body: 'warm-up' }); // route and connection ready

    proxy.dropNextResponse();
    const result = await producer.send({ topic, body: 'deduct stock for order-1', keys: 'order-1' });
    expect(proxy.injectedFaults).toBeGreaterThanOrEqual(1);
    expect(result.sendStatus).toBe('SEND_OK');

    // The broker has two copies: the lost one and the retried one, with the same UNIQ_KEY.
    const stored = await admin.queryMessageByUniqKey(topic, result.msgId);
    expect(stored).toHaveLength(2);
    expect(new Set(stored.map((m) => m.offsetMsgId)).size).toBe(2);

    const received: MessageExt[] = [];
    const applied: string[] = [];
    const dedupe = idempotentHandler(applied);
    await startConsumer(uniqueName('inventory'), topic, (message) => {
      received.push(message);
      dedupe(message);
    });
    await waitFor(() => received.filter((m) => m.keys[0] === 'order-1').length >= 2, 'both copies');
    const copies = received.filter((m) => m.keys[0] === 'order-1');
    expect(copies.map((m) => m.msgId)).toEqual([result.msgId, result.msgId]);
    expect(copies[0].offsetMsgId).not.toBe(copies[1].offsetMsgId);
    // Deduplicated by business key, the effect happens once.
    expect(applied.filter((key) => key === 'order-1')).toEqual(['order-1']);
  }, 30_000);

  it('an answer slower than sendMsgTimeout: the application retries, two messages with one business key', async () => {
    const topic = uniqueName('DupTimeout');
    const producer = await startProducer(500);
    await producer.send({ topic, body: 'warm-up' });

    proxy.delayNextResponse(1200);
    const message = { topic, body: 'deduct stock for order-2', keys: 'order-2' };
    const failed = await producer.send(message).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(MQClientError);
    // The caller cannot tell "not stored" from "stored, answer lost", so it sends again (after a pause).
    await sleep(1300);
    const retried = await producer.send(message);

    const received: MessageExt[] = [];
    const applied: string[] = [];
    const dedupe = idempotentHandler(applied);
    await startConsumer(uniqueName('inventory'), topic, (m) => {
      received.push(m);
      dedupe(m);
    });
    await waitFor(() => received.filter((m) => m.keys[0] === 'order-2').length >= 2, 'both messages');
    const copies = received.filter((m) => m.keys[0] === 'order-2');
    expect(copies).toHaveLength(2);
    // Two different msgIds: only the business key shows they are one fact.
    expect(new Set(copies.map((m) => m.msgId)).size).toBe(2);
    expect(copies.map((m) => m.msgId)).toContain(retried.msgId);
    expect(copies.every((m) => m.body.toString() === 'deduct stock for order-2')).toBe(true);
    expect(applied.filter((key) => key === 'order-2')).toEqual(['order-2']);
  }, 30_000);
});

describe('(b) the consumer applied a message but its offset never reached the broker', () => {
  it('a consumer that dies before persisting its offset: the next consumer of the group gets the message again', async () => {
    const topic = uniqueName('DupCrash');
    const group = uniqueName('inventory');
    const producer = await startProducer();
    const sent = await producer.send({ topic, body: 'deduct stock for order-3', keys: 'order-3' });

    const firstInstance = uniqueName('c1');
    const firstSeen: MessageExt[] = [];
    let applied = 0;
    // The offset reaches the broker with the next pull (already waiting at the broker while this
    // listener works) or with the periodic persist (every 5 s; 60 s here): the crash falls before both.
    await startConsumer(
      group,
      topic,
      async (m) => {
        firstSeen.push(m);
        await sleep(200); // e.g. the database update
        applied++;
      },
      firstInstance,
      { persistConsumerOffsetInterval: 60_000 },
    );
    await waitFor(() => applied === 1, 'the first consumption');
    await sleep(100); // the listener has returned: the effect is applied, the offset only in memory

    // Crash: connections close, no UNREGISTER_CLIENT, no offset persisted.
    MQClientInstance.getOrCreate({ nameServer: cluster.namesrvAddr, instanceName: firstInstance }).shutdown();
    const committed = await admin.queryConsumerOffset(group, sent.messageQueue);
    expect(committed).toBeLessThanOrEqual(sent.queueOffset);

    const secondSeen: MessageExt[] = [];
    await startConsumer(group, topic, (m) => {
      secondSeen.push(m);
    });
    await waitFor(() => secondSeen.length === 1, 'the redelivery');
    expect(secondSeen[0].msgId).toBe(firstSeen[0].msgId);
    expect(secondSeen[0].offsetMsgId).toBe(firstSeen[0].offsetMsgId);
    expect(secondSeen[0].keys).toEqual(['order-3']);
  }, 30_000);
});
