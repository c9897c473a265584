/** The admin client against a real NameServer and broker. */
import { AdminClient, Producer, PushConsumer } from '@flashsale/mq';
import { type TestCluster, startTestCluster, uniqueName, waitFor } from './support/client-test-helpers';

let cluster: TestCluster;
let admin: AdminClient;
let producer: Producer;

beforeAll(async () => {
  cluster = await startTestCluster();
  admin = new AdminClient({ nameServer: cluster.namesrvAddr });
  producer = new Producer({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') });
  await producer.start();
});

afterAll(async () => {
  await producer.shutdown();
  admin.close();
  await cluster.stop();
});

describe('AdminClient', () => {
  it('creates a topic on every master and waits until the NameServer routes it', async () => {
    const topic = uniqueName('Created');
    expect(await admin.examineTopicRoute(topic)).toBeUndefined();
    await admin.createTopic(topic, { readQueueNums: 6, writeQueueNums: 6 });
    const route = await admin.examineTopicRoute(topic);
    expect(route?.queueDatas).toEqual([
      expect.objectContaining({ brokerName: 'broker-a', readQueueNums: 6, writeQueueNums: 6, perm: 6 }),
    ]);
    const cluster_ = await admin.getClusterInfo();
    expect(Object.keys(cluster_.brokerAddrTable)).toEqual(['broker-a']);
    expect(cluster_.brokerAddrTable['broker-a'].brokerAddrs['0']).toBe(cluster.brokers[0].addr);
  });

  it('reports consumer lag per queue and sees it drop to 0 after consumption', async () => {
    const topic = uniqueName('Lag');
    const group = uniqueName('cg');
    await admin.createTopic(topic, { readQueueNums: 4, writeQueueNums: 4 });
    const before = Date.now();
    for (let i = 0; i < 100; i++) await producer.send({ topic, body: `m${i}` });

    const stats = await admin.examineConsumeStats(group, topic);
    expect(stats.queues).toHaveLength(4);
    expect(stats.totalLag).toBe(100);
    expect(stats.queues.reduce((sum, queue) => sum + queue.brokerOffset, 0)).toBe(100);
    const mq = stats.queues[0].messageQueue;
    expect(await admin.getMinOffset(mq)).toBe(0);
    expect(await admin.getMaxOffset(mq)).toBe(stats.queues[0].brokerOffset);
    expect(await admin.searchOffset(mq, before - 60_000)).toBe(0);

    let consumed = 0;
    const consumer = new PushConsumer({
      nameServer: cluster.namesrvAddr,
      consumerGroup: group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      persistConsumerOffsetInterval: 200,
    });
    consumer.subscribe(topic);
    consumer.registerMessageListener(() => {
      consumed++;
      return 'CONSUME_SUCCESS';
    });
    await consumer.start();
    try {
      expect(await admin.getConsumerIdList(group, topic)).toEqual([consumer.clientId]);
      await waitFor(() => consumed >= 100, '100 consumed');
      let lag = -1;
      const deadline = Date.now() + 10_000;
      while (lag !== 0 && Date.now() < deadline) {
        lag = (await admin.examineConsumeStats(group, topic)).totalLag;
        if (lag !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(lag).toBe(0);
    } finally {
      await consumer.shutdown();
    }
  });

  it('finds a sent message by offset msgId and by key', async () => {
    const topic = uniqueName('Lookup');
    const key = uniqueName('order');
    await admin.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    await producer.send({ topic, body: 'noise', keys: 'other-key' });
    const sent = await producer.send({ topic, body: 'the-one', tags: 'Paid', keys: [key, 'user-1'] });

    const viewed = await admin.viewMessage(sent.offsetMsgId);
    expect(viewed.body.toString()).toBe('the-one');
    expect(viewed.msgId).toBe(sent.msgId);
    expect(viewed.tags).toBe('Paid');
    expect(viewed.brokerName).toBe('broker-a');
    expect(viewed.queueOffset).toBe(sent.queueOffset);

    const byKey = await admin.queryMessageByKey(topic, key);
    expect(byKey.map((message) => message.body.toString())).toEqual(['the-one']);
    expect(byKey[0].offsetMsgId).toBe(sent.offsetMsgId);

    const byId = await admin.queryMessageByUniqKey(topic, sent.msgId);
    expect(byId.map((message) => message.offsetMsgId)).toEqual([sent.offsetMsgId]);
    expect(await admin.queryMessageByKey(topic, 'no-such-key')).toEqual([]);
  });
});
