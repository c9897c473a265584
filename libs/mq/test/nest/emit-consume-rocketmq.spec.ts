/**
 * A hybrid Fastify app with a RocketMQServer: handlers declared with @MqConsumer receive what the
 * RocketMQClient emits, with the right @Payload and @Ctx, tags filtered, Observables awaited.
 */
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { lastValueFrom, timer, map } from 'rxjs';
import { type Producer, type SendResult } from '@flashsale/mq';
import {
  MqConsumer,
  MqModule,
  ROCKETMQ_CLIENT,
  type RocketMQClient,
  type RocketMQContext,
} from '@flashsale/mq/nest';
import {
  type TestCluster,
  createTopic,
  sleep,
  startHybridApp,
  startTestCluster,
  uniqueName,
  waitFor,
} from './support/nest-test-helpers';

interface Received {
  payload: unknown;
  context: RocketMQContext;
}

let cluster: TestCluster;
let app: INestApplication | undefined;

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

afterAll(async () => {
  await cluster.stop();
});

function appModule(controller: new (...args: never[]) => unknown): new () => unknown {
  @Module({
    imports: [MqModule.forRoot({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') })],
    controllers: [controller],
  })
  class AppModule {}
  return AppModule;
}

it('delivers an emitted event to the @MqConsumer handler with @Payload and @Ctx filled in', async () => {
  const topic = uniqueName('OrderCreated');
  const group = uniqueName('cg');
  await createTopic(cluster.namesrvAddr, topic);
  const received: Received[] = [];

  @Controller()
  class OrderController {
    @MqConsumer({ topic, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' })
    onOrderCreated(@Payload() payload: unknown, @Ctx() context: RocketMQContext): void {
      received.push({ payload, context });
    }
  }
  app = await startHybridApp(appModule(OrderController), { nameServer: cluster.namesrvAddr });
  const client = app.get<RocketMQClient>(ROCKETMQ_CLIENT);

  const order = { orderId: 'o-1', userId: 7, items: [{ sku: 'A', quantity: 2 }] };
  const result = await lastValueFrom(
    client.emit<SendResult>({ topic, tags: 'Created', keys: ['o-1', 'u-7'] }, order),
  );
  expect(result.sendStatus).toBe('SEND_OK');
  await waitFor(() => received.length === 1, 'the event');

  const [{ payload, context }] = received;
  expect(payload).toEqual(order);
  expect(context.getMsgId()).toBe(result.msgId);
  expect(context.getTopic()).toBe(topic);
  expect(context.getTags()).toBe('Created');
  expect(context.getKeys()).toEqual(['o-1', 'u-7']);
  expect(context.getReconsumeTimes()).toBe(0);
  expect(context.getConsumerGroup()).toBe(group);
  expect(context.getQueueId()).toBe(result.messageQueue.queueId);
  expect(context.getQueueOffset()).toBe(result.queueOffset);
  expect(context.getMessage().body.toString()).toBe(JSON.stringify(order));
  expect(context.getProperties().TAGS).toBe('Created');
});

it('delivers only the tags the decorator subscribes to, each topic to its own handler', async () => {
  const topic = uniqueName('OrderStatus');
  const otherTopic = uniqueName('Stock');
  const group = uniqueName('cg');
  await createTopic(cluster.namesrvAddr, topic, 1);
  await createTopic(cluster.namesrvAddr, otherTopic, 1);
  const byTopic: Record<string, string[]> = { [topic]: [], [otherTopic]: [] };

  @Controller()
  class StatusController {
    @MqConsumer({ topic, group, tags: 'Paid || Closed', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' })
    onStatus(@Payload() status: string, @Ctx() context: RocketMQContext): void {
      byTopic[context.getTopic()].push(`${context.getTags()}:${status}`);
    }

    @MqConsumer({ topic: otherTopic, group })
    onStock(@Payload() sku: string, @Ctx() context: RocketMQContext): void {
      byTopic[context.getTopic()].push(sku);
    }
  }
  app = await startHybridApp(appModule(StatusController), { nameServer: cluster.namesrvAddr });
  const client = app.get<RocketMQClient>(ROCKETMQ_CLIENT);

  // One queue: once 'Closed' (sent last) has arrived, 'Created' has been pulled and filtered before it.
  for (const tags of ['Paid', 'Created', 'Closed']) {
    await lastValueFrom(client.emit({ topic, tags }, `order-1-${tags}`));
  }
  await lastValueFrom(client.emit(otherTopic, 'sku-9'));
  await waitFor(() => byTopic[topic].length === 2 && byTopic[otherTopic].length === 1, 'the events');
  await sleep(300);

  expect(byTopic[topic].sort()).toEqual(['Closed:order-1-Closed', 'Paid:order-1-Paid']);
  expect(byTopic[otherTopic]).toEqual(['sku-9']);
});

it('acknowledges when a returned Observable completes, and hands a non-JSON body over as a string', async () => {
  const topic = uniqueName('Notify');
  const group = uniqueName('cg');
  await createTopic(cluster.namesrvAddr, topic);
  const done: unknown[] = [];

  @Controller()
  class NotifyController {
    @MqConsumer({ topic, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' })
    onNotify(@Payload() payload: unknown) {
      return timer(50).pipe(map(() => done.push(payload)));
    }
  }
  app = await startHybridApp(appModule(NotifyController), { nameServer: cluster.namesrvAddr });
  const client = app.get<RocketMQClient>(ROCKETMQ_CLIENT);
  await lastValueFrom(client.emit(topic, { n: 1 }));
  // A producer outside Nest sending plain text (not JSON): delivered raw, not a consumer crash.
  await client.unwrap<Producer>().send({ topic, body: 'plain {text' });

  await waitFor(() => done.length === 2, 'both messages');
  await sleep(500);
  expect(done).toHaveLength(2);
  expect(done).toEqual(expect.arrayContaining([{ n: 1 }, 'plain {text']));
});

it('rejects send() because RocketMQ has no request-response', async () => {
  @Controller()
  class EmptyController {}
  app = await startHybridApp(appModule(EmptyController), { nameServer: cluster.namesrvAddr });
  const client = app.get<RocketMQClient>(ROCKETMQ_CLIENT);
  await expect(lastValueFrom(client.send('AnyTopic', {}))).rejects.toMatchObject({
    name: 'RocketMQTransportError',
    code: 'REQUEST_RESPONSE_NOT_SUPPORTED',
  });
});
