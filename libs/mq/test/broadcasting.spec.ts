/** Broadcasting groups: every member gets every message and keeps its offsets in a local file. */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AdminClient, Producer, PushConsumer, type MessageExt } from '@flashsale/mq';
import {
  type TestCluster,
  type TestDir,
  makeTestDir,
  startTestCluster,
  uniqueName,
  waitFor,
} from './support/client-test-helpers';

let cluster: TestCluster;
let dir: TestDir;

beforeAll(async () => {
  cluster = await startTestCluster();
  dir = await makeTestDir('mq-offsets-');
});

afterAll(async () => {
  await cluster.stop();
  await dir.remove();
});

it('delivers every message to each broadcasting consumer and stores offsets in a local file', async () => {
  const topic = uniqueName('Broadcast');
  const group = uniqueName('cg');
  const admin = new AdminClient({ nameServer: cluster.namesrvAddr });
  await admin.createTopic(topic, { readQueueNums: 4, writeQueueNums: 4 });
  admin.close();
  const producer = new Producer({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') });
  await producer.start();

  const sinks: MessageExt[][] = [[], []];
  const consumers = ['bc-1', 'bc-2'].map((instanceName, i) => {
    const consumer = new PushConsumer({
      nameServer: cluster.namesrvAddr,
      consumerGroup: group,
      instanceName,
      messageModel: 'BROADCASTING',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      offsetStoreDir: dir.path,
    });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((messages) => {
      sinks[i].push(...messages);
      return 'CONSUME_SUCCESS';
    });
    return consumer;
  });
  for (const consumer of consumers) await consumer.start();
  for (const consumer of consumers)
    expect(consumer.assignedQueues.map((mq) => mq.topic)).toEqual(Array(4).fill(topic));

  for (let i = 0; i < 40; i++) await producer.send({ topic, body: String(i) });
  await waitFor(
    () => sinks.every((sink) => new Set(sink.map((m) => m.body.toString())).size === 40),
    'both got 40',
  );

  const clientIds = consumers.map((consumer) => consumer.clientId!);
  for (const consumer of consumers) await consumer.shutdown();
  await producer.shutdown();

  for (const clientId of clientIds) {
    const file = path.join(dir.path, clientId, group, 'offsets.json');
    const content = JSON.parse(await readFile(file, 'utf8')) as {
      offsetTable: Record<string, { offset: number }>;
    };
    const offsets = Object.values(content.offsetTable).map((entry) => entry.offset);
    expect(offsets).toHaveLength(4);
    expect(offsets.reduce((sum, offset) => sum + offset, 0)).toBe(40);
  }
});
