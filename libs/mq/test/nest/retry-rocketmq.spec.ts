/**
 * A handler that throws gets the message again (RECONSUME_LATER → %RETRY%<group>, or the local
 * re-consume after 5 s when the send-back fails), and once it succeeds the message is acknowledged.
 */
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { AdminClient } from '@flashsale/mq';
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
  waitForAsync,
} from './support/nest-test-helpers';

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

it('redelivers a message whose handler threw, then acknowledges it', async () => {
  const topic = uniqueName('SmsRequested');
  const group = uniqueName('cg');
  await createTopic(cluster.namesrvAddr, topic);
  const attempts: { msgId: string; reconsumeTimes: number; payload: unknown }[] = [];
  const failures: unknown[] = [];

  @Controller()
  class SmsController {
    @MqConsumer({ topic, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' })
    async onSms(@Payload() payload: unknown, @Ctx() context: RocketMQContext): Promise<void> {
      attempts.push({ msgId: context.getMsgId(), reconsumeTimes: context.getReconsumeTimes(), payload });
      if (context.getReconsumeTimes() === 0) throw new Error('SMS gateway timed out');
    }
  }
  @Module({
    imports: [MqModule.forRoot({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') })],
    controllers: [SmsController],
  })
  class AppModule {}

  app = await startHybridApp(AppModule, {
    nameServer: cluster.namesrvAddr,
    consumerOptions: { persistConsumerOffsetInterval: 200 },
  });
  const client = app.get<RocketMQClient>(ROCKETMQ_CLIENT);
  const server = app.getMicroservices()[0];
  server.on('consumeFailed', (error: unknown) => failures.push(error));

  const result = await lastValueFrom(client.emit(topic, { phone: '555-0100' }));
  await waitFor(() => attempts.length >= 2, 'the redelivery', 25_000);

  expect(attempts[0]).toEqual({ msgId: result.msgId, reconsumeTimes: 0, payload: { phone: '555-0100' } });
  expect(attempts[1].msgId).toBe(result.msgId);
  expect(attempts[1].reconsumeTimes).toBeGreaterThanOrEqual(1);
  expect(attempts[1].payload).toEqual({ phone: '555-0100' });
  expect(failures).toHaveLength(1);

  // Acknowledged: no lag left on the topic nor on the group's retry topic, and no third attempt.
  const admin = new AdminClient({ nameServer: cluster.namesrvAddr });
  try {
    await waitForAsync(async () => {
      const main = await admin.examineConsumeStats(group, topic);
      // The retry topic exists once the broker took the message back (not when the client re-consumed).
      const retry = await admin.examineConsumeStats(group, `%RETRY%${group}`).catch(() => undefined);
      return main.totalLag === 0 && (retry === undefined || retry.totalLag === 0);
    }, 'committed offsets');
  } finally {
    admin.close();
  }
  await sleep(500);
  expect(attempts).toHaveLength(2);
}, 30_000);
