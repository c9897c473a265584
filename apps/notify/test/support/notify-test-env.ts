/** Shared set-up of the notify integration tests: a spawned broker and the real notify app. */
import { randomUUID } from 'node:crypto';
import { type OrderStatus, type OrderStatusChangedEvent, Topics } from '@flashsale/contracts';
import { AdminClient, hashSelector, Producer } from '@flashsale/mq';
import {
  type Environment,
  loadServiceConfig,
  startTestService,
  type TestService,
} from '@flashsale/service-kit';
import { type SpawnedBroker, spawnBrokerForTests } from '@flashsale/testing';
import { NotifyConfig } from '../../src/config/notify.config';
import { createNotifyApp } from '../../src/notify-app';
import { type LocalSmsGateway } from '../../src/sms/local-sms-gateway';
import { SMS_PROVIDER } from '../../src/sms/sms-provider';
import { sleep, waitFor } from '@flashsale/testing';

export interface NotifyTestEnv {
  broker: SpawnedBroker;
  service: TestService;
  producer: Producer;
  admin: AdminClient;
  /** The app's SmsProvider (SMS_PROVIDER=local): its record says what reached the "phones". */
  gateway: LocalSmsGateway;
  /** Sends a status change the way the order service does: sharded by order id. */
  publishStatus(orderId: string, status: OrderStatus): Promise<void>;
  stop(): Promise<void>;
}

export async function startNotifyTestEnv(overrides: Environment = {}): Promise<NotifyTestEnv> {
  const broker = await spawnBrokerForTests();
  let service: TestService | undefined;
  const producer = new Producer({ nameServer: broker.namesrvAddr, producerGroup: `test-${randomUUID()}` });
  const admin = new AdminClient({ nameServer: broker.namesrvAddr });
  try {
    // The topic first, so the consumer finds its route at once instead of backing off.
    await admin.createTopic(Topics.ORDER_STATUS, { readQueueNums: 4, writeQueueNums: 4 });
    service = await startTestService(
      'notify',
      (env: Environment) => createNotifyApp(loadServiceConfig(NotifyConfig, env)),
      { NAMESRV_ADDR: broker.namesrvAddr, ...overrides },
    );
    await producer.start();
    const started = service;
    return {
      broker,
      service: started,
      producer,
      admin,
      gateway: started.app.get<LocalSmsGateway>(SMS_PROVIDER),
      publishStatus: async (orderId, status) => {
        const event: OrderStatusChangedEvent = {
          orderId,
          userId: `user-${orderId.slice(0, 8)}`,
          status,
          changedAt: new Date().toISOString(),
        };
        await producer.send(
          { topic: Topics.ORDER_STATUS, body: JSON.stringify(event), tags: status, keys: orderId },
          { selector: hashSelector(orderId) },
        );
      },
      stop: async () => {
        await producer.shutdown().catch(() => undefined);
        admin.close();
        await started.stop();
        await broker.stop();
      },
    };
  } catch (error) {
    await producer.shutdown().catch(() => undefined);
    admin.close();
    await service?.stop().catch(() => undefined);
    await broker.stop();
    throw error;
  }
}

export { sleep };

/** Polls `probe` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(probe, what, timeoutMs);
}
