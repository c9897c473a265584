/**
 * Producer → broker → push consumer over real TCP: sync, oneway and batch sends, keys and tags,
 * compression, tag filtering, and queue selection for ordered messages.
 */
import {
  AdminClient,
  Producer,
  PushConsumer,
  hashSelector,
  javaStringHashCode,
  type MessageExt,
} from '@flashsale/mq';
import { type TestCluster, startTestCluster, uniqueName, waitFor } from './support/client-test-helpers';

let cluster: TestCluster;
let producer: Producer;
let admin: AdminClient;
const consumers: PushConsumer[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
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

async function startConsumer(
  topic: string,
  expression: string,
  received: MessageExt[],
): Promise<PushConsumer> {
  const consumer = new PushConsumer({
    nameServer: cluster.namesrvAddr,
    consumerGroup: uniqueName('cg'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  consumer.subscribe(topic, expression);
  consumer.registerMessageListener((messages) => {
    received.push(...messages);
    return 'CONSUME_SUCCESS';
  });
  consumers.push(consumer);
  await consumer.start();
  return consumer;
}

describe('producer → push consumer', () => {
  it('delivers sync, oneway and batch sends with their tags, keys and properties', async () => {
    const topic = uniqueName('RoundTrip');
    const sync = await producer.send({
      topic,
      body: 'sync-body',
      tags: 'TagSync',
      keys: ['order-1', 'user-7'],
      properties: { traceId: 'abc' },
    });
    expect(sync.sendStatus).toBe('SEND_OK');
    expect(sync.msgId).toMatch(/^[0-9A-F]{32}$/);
    expect(sync.offsetMsgId).toMatch(/^[0-9A-F]{32}$/);
    expect(sync.messageQueue.topic).toBe(topic);

    await producer.sendOneway({ topic, body: 'oneway-body', tags: 'TagOneway' });
    const batch = await producer.sendBatch([
      { topic, body: 'batch-0', tags: 'TagBatch', keys: 'b0' },
      { topic, body: 'batch-1', tags: 'TagBatch', keys: 'b1' },
      { topic, body: 'batch-2', tags: 'TagBatch', keys: 'b2' },
    ]);
    const batchIds = batch.msgId.split(',');
    expect(batchIds).toHaveLength(3);
    expect(new Set(batchIds).size).toBe(3);

    const received: MessageExt[] = [];
    await startConsumer(topic, '*', received);
    await waitFor(() => received.length >= 5, '5 messages');

    const byBody = new Map(received.map((message) => [message.body.toString(), message]));
    expect([...byBody.keys()].sort()).toEqual(['batch-0', 'batch-1', 'batch-2', 'oneway-body', 'sync-body']);
    const syncMessage = byBody.get('sync-body')!;
    expect(syncMessage.topic).toBe(topic);
    expect(syncMessage.tags).toBe('TagSync');
    expect(syncMessage.keys).toEqual(['order-1', 'user-7']);
    expect(syncMessage.properties.traceId).toBe('abc');
    expect(syncMessage.msgId).toBe(sync.msgId);
    expect(syncMessage.offsetMsgId).toBe(sync.offsetMsgId);
    expect(syncMessage.queueId).toBe(sync.messageQueue.queueId);
    expect(syncMessage.queueOffset).toBe(sync.queueOffset);
    expect(syncMessage.reconsumeTimes).toBe(0);
    expect(byBody.get('oneway-body')!.tags).toBe('TagOneway');
    const batchMessages = [0, 1, 2].map((i) => byBody.get(`batch-${i}`)!);
    expect(batchMessages.map((message) => message.msgId)).toEqual(batchIds);
    expect(batchMessages.map((message) => message.keys)).toEqual([['b0'], ['b1'], ['b2']]);
    // A batch lands in one queue with consecutive offsets.
    expect(new Set(batchMessages.map((message) => message.queueId)).size).toBe(1);
    expect(batchMessages.map((message) => message.queueOffset - batch.queueOffset)).toEqual([0, 1, 2]);
  });

  it('compresses large bodies on the way out and inflates them for the consumer', async () => {
    const topic = uniqueName('Compressed');
    const body = Buffer.from('flash-sale '.repeat(2000));
    const result = await producer.send({ topic, body });
    const stored = await admin.viewMessage(result.offsetMsgId);
    expect(stored.sysFlag & 0x1).toBe(1);
    expect(stored.storeSize!).toBeLessThan(body.length);

    const received: MessageExt[] = [];
    await startConsumer(topic, '*', received);
    await waitFor(() => received.length === 1, 'the compressed message');
    expect(received[0].body.equals(body)).toBe(true);
  });

  it("delivers only the subscribed tags for 'TagA || TagB'", async () => {
    const topic = uniqueName('Tags');
    const tags = ['TagA', 'TagB', 'TagC', undefined, 'TagA', 'TagD', 'TagB'];
    for (const [i, tag] of tags.entries()) await producer.send({ topic, body: `m${i}`, tags: tag });
    await producer.send({ topic, body: 'last', tags: 'TagA' });

    const received: MessageExt[] = [];
    await startConsumer(topic, 'TagA || TagB', received);
    // Queues are consumed in parallel, so "last" may arrive before the others: wait for all five,
    // then give a wrongly delivered TagC/TagD message time to show up too.
    await waitFor(() => received.length >= 5, 'the five TagA/TagB messages');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bodies = received.map((message) => message.body.toString()).sort();
    expect(bodies).toEqual(['last', 'm0', 'm1', 'm4', 'm6']);
    expect(received.every((message) => message.tags === 'TagA' || message.tags === 'TagB')).toBe(true);
  });

  it('sends every message of a sharding key to the queue the selector chose, in order', async () => {
    const topic = uniqueName('Ordered');
    await admin.createTopic(topic, { readQueueNums: 8, writeQueueNums: 8 });
    const orderId = 'order-42';
    const expectedQueue = Math.abs(javaStringHashCode(orderId)) % 8;
    const results = [];
    for (let step = 0; step < 10; step++) {
      results.push(
        await producer.send({ topic, body: `${orderId}:${step}` }, { selector: hashSelector(orderId) }),
      );
    }
    expect(new Set(results.map((result) => result.messageQueue.queueId))).toEqual(new Set([expectedQueue]));

    const explicit = await producer.send(
      { topic, body: 'to-queue-5' },
      { queue: { ...results[0].messageQueue, queueId: 5 } },
    );
    expect(explicit.messageQueue.queueId).toBe(5);

    const received: MessageExt[] = [];
    await startConsumer(topic, '*', received);
    await waitFor(() => received.length === 11, '11 messages');
    const ordered = received.filter((message) => message.body.toString().startsWith(orderId));
    expect(new Set(ordered.map((message) => message.queueId))).toEqual(new Set([expectedQueue]));
    const offsets = ordered.map((message) => message.queueOffset);
    expect(ordered.map((message) => message.body.toString())).toEqual(
      [...ordered].sort((a, b) => a.queueOffset - b.queueOffset).map((message) => message.body.toString()),
    );
    expect(offsets).toHaveLength(10);
  });

  it('a consumer in its own client instance finds a topic created after it started', async () => {
    const topic = uniqueName('Later');
    const received: MessageExt[] = [];
    const consumer = new PushConsumer({
      nameServer: cluster.namesrvAddr,
      consumerGroup: uniqueName('cg'),
      instanceName: 'separate-instance',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((messages) => {
      received.push(...messages);
      return 'CONSUME_SUCCESS';
    });
    consumers.push(consumer);
    await consumer.start();
    await producer.send({ topic, body: 'created-later' });
    await waitFor(() => received.length === 1, 'the message on the late topic', 10_000);
    expect(received[0].body.toString()).toBe('created-later');
  });

  it('rejects invalid messages before sending', async () => {
    await expect(producer.send({ topic: 'bad topic!', body: 'x' })).rejects.toMatchObject({
      reason: 'ILLEGAL_ARGUMENT',
    });
    await expect(producer.send({ topic: uniqueName('Empty'), body: '' })).rejects.toMatchObject({
      reason: 'ILLEGAL_ARGUMENT',
    });
  });
});
