/** BROADCASTING through the decorator: every app of the group gets every message. */
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { MqConsumer, RocketMQClient, type RocketMQContext } from '@flashsale/mq/nest';
import {
  type TestCluster,
  type TestDir,
  createTopic,
  makeTestDir,
  startMicroservice,
  startTestCluster,
  uniqueName,
  waitFor,
} from './support/nest-test-helpers';

let cluster: TestCluster;
let dir: TestDir;
const apps: INestMicroservice[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  dir = await makeTestDir('mq-nest-offsets-');
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

afterAll(async () => {
  await cluster.stop();
  await dir.remove();
});

it('gives every member of a broadcasting group every message', async () => {
  const topic = uniqueName('CacheInvalidated');
  const group = uniqueName('cg');
  await createTopic(cluster.namesrvAddr, topic);
  const received = new Map<string, string[]>();

  const appModule = (member: string) => {
    received.set(member, []);
    @Controller()
    class CacheController {
      @MqConsumer({
        topic,
        group,
        messageModel: 'BROADCASTING',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      })
      onInvalidated(@Payload() key: string, @Ctx() context: RocketMQContext): void {
        if (context.getConsumerGroup() !== group) return;
        received.get(member)!.push(key);
      }
    }
    @Module({ controllers: [CacheController] })
    class AppModule {}
    return AppModule;
  };
  for (const member of ['a', 'b']) {
    apps.push(
      await startMicroservice(appModule(member), {
        nameServer: cluster.namesrvAddr,
        instanceName: uniqueName(member),
        offsetStoreDir: dir.path,
      }),
    );
  }

  // A standalone client that owns its producer: connect() starts it, close() shuts it down.
  const client = new RocketMQClient({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') });
  await client.connect();
  for (let i = 0; i < 20; i++) await lastValueFrom(client.emit(topic, `sku-${i}`));
  await client.close();

  const expected = Array.from({ length: 20 }, (_, i) => `sku-${i}`).sort();
  await waitFor(() => [...received.values()].every((keys) => new Set(keys).size === 20), 'both members');
  for (const keys of received.values()) expect([...new Set(keys)].sort()).toEqual(expected);
});
