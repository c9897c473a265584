/**
 * Closing the app mid-stream loses nothing and redelivers (almost) nothing: the server stops pulling,
 * lets in-flight handlers finish (they can still send: producers shut down after the consumers),
 * commits offsets; the next app of the group starts where the first stopped.
 */
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Producer } from '@flashsale/mq';
import { InjectProducer, MqConsumer, MqModule, type RocketMQContext } from '@flashsale/mq/nest';
import {
  type TestCluster,
  createTopic,
  sleep,
  startHybridApp,
  startTestCluster,
  uniqueName,
  waitFor,
} from './support/nest-test-helpers';

const N = 300;

let cluster: TestCluster;
const apps: INestApplication[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

afterAll(async () => {
  await cluster.stop();
});

it('hands the rest to the next app of the group after a graceful close, without losing any', async () => {
  const topic = uniqueName('OrderRequested');
  const forwardTopic = uniqueName('OrderAccepted');
  const group = uniqueName('cg');
  await createTopic(cluster.namesrvAddr, topic);
  await createTopic(cluster.namesrvAddr, forwardTopic);
  const consumed: string[] = [];
  const forwardErrors: unknown[] = [];

  @Controller()
  class OrderRequestController {
    constructor(@InjectProducer() private readonly producer: Producer) {}

    @MqConsumer({ topic, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', concurrency: 8 })
    async onRequest(@Payload() n: number, @Ctx() context: RocketMQContext): Promise<void> {
      await sleep(10);
      // Sending from inside the handler: must still work while the app is closing.
      await this.producer.send({ topic: forwardTopic, body: String(n) }).catch((error: unknown) => {
        forwardErrors.push(error);
        throw error;
      });
      consumed.push(context.getMsgId());
    }
  }
  const appModule = () => {
    @Module({
      imports: [MqModule.forRoot({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') })],
      controllers: [OrderRequestController],
    })
    class AppModule {}
    return AppModule;
  };

  const producer = new Producer({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') });
  await producer.start();
  const sent = new Set<string>();
  for (let i = 0; i < N; i++) sent.add((await producer.send({ topic, body: String(i) })).msgId);
  await producer.shutdown();

  const serverOptions = (instanceName: string) => ({
    nameServer: cluster.namesrvAddr,
    instanceName,
    // Small pulls and a small per-queue buffer, so a close catches messages in flight and in the
    // buffer rather than after everything was pulled; the long persist interval leaves the commit to close().
    consumerOptions: { pullBatchSize: 2, pullThresholdForQueue: 4, persistConsumerOffsetInterval: 60_000 },
  });
  const first = await startHybridApp(appModule(), serverOptions(uniqueName('first')));
  apps.push(first);
  await waitFor(() => consumed.length >= N / 4, 'a quarter of the messages');
  await first.close();
  apps.splice(apps.indexOf(first), 1);
  const byFirst = consumed.length;

  apps.push(await startHybridApp(appModule(), serverOptions(uniqueName('second'))));
  await waitFor(() => new Set(consumed).size === N, `all ${N} messages`);
  await sleep(500);

  const duplicates = consumed.length - new Set(consumed).size;

  console.info(`graceful close: first app consumed ${byFirst}/${N}, duplicates after restart ${duplicates}`);
  expect(byFirst).toBeLessThan(N);
  expect([...new Set(consumed)].sort()).toEqual([...sent].sort());
  expect(duplicates).toBeLessThanOrEqual(8);
  expect(forwardErrors).toEqual([]);
}, 30_000);
