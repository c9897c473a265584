/**
 * Orderly consumption through the decorator: messages sent with one sharding key reach the handler in
 * the order sent, even when the handler fails: the failed message is retried in place (its queue is
 * suspended) rather than sent to the retry topic, where a later message could overtake it.
 */
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { MqConsumer, RocketMQClient, type RocketMQContext } from '@flashsale/mq/nest';
import {
  type TestCluster,
  createTopic,
  startMicroservice,
  startTestCluster,
  uniqueName,
  waitFor,
} from './support/nest-test-helpers';

let cluster: TestCluster;
let app: INestMicroservice | undefined;

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterAll(async () => {
  await app?.close();
  await cluster.stop();
});

interface StatusChange {
  orderId: string;
  seq: number;
}

it('hands each sharding key its messages in the order sent, retrying a failure in place', async () => {
  const topic = uniqueName('OrderStatus');
  const group = uniqueName('cg');
  await createTopic(cluster.namesrvAddr, topic, 4);
  const seen = new Map<string, number[]>();
  const failedOnce = new Set<string>();
  let redeliveries = 0;

  @Controller()
  class StatusController {
    @MqConsumer({ topic, group, orderly: true, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' })
    onStatus(@Payload() change: StatusChange, @Ctx() context: RocketMQContext): void {
      const key = `${change.orderId}#${change.seq}`;
      // Every order fails once on its third change: the next changes must wait for it.
      if (change.seq === 2 && !failedOnce.has(key)) {
        failedOnce.add(key);
        throw new Error('SMS gateway timed out');
      }
      if (context.getReconsumeTimes() > 0) redeliveries++;
      const list = seen.get(change.orderId) ?? [];
      list.push(change.seq);
      seen.set(change.orderId, list);
    }
  }
  @Module({ controllers: [StatusController] })
  class AppModule {}
  app = await startMicroservice(AppModule, {
    nameServer: cluster.namesrvAddr,
    instanceName: uniqueName('notify'),
    consumerOptions: { suspendCurrentQueueTimeMillis: 100 },
  });

  const client = new RocketMQClient({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') });
  await client.connect();
  const orders = Array.from({ length: 12 }, (_, i) => `order-${i}`);
  for (let seq = 0; seq < 5; seq++) {
    for (const orderId of orders) {
      await lastValueFrom(client.emit({ topic, shardingKey: orderId }, { orderId, seq }));
    }
  }
  await client.close();

  await waitFor(() => orders.every((id) => (seen.get(id)?.length ?? 0) >= 5), 'all changes of all orders');
  for (const id of orders) expect(seen.get(id)).toEqual([0, 1, 2, 3, 4]);
  expect(failedOnce.size).toBe(orders.length);
  expect(redeliveries).toBe(orders.length); // each failed change came back once, in place
});
