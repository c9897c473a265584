/** Shared set-up of the inventory integration tests: a spawned broker and the real inventory app. */
import { randomUUID } from 'node:crypto';
import { type OrderClosedEvent, type OrderCreatedEvent, Topics } from '@flashsale/contracts';
import { AdminClient, Producer } from '@flashsale/mq';
import {
  deleteRedisKeys,
  type Environment,
  loadServiceConfig,
  startTestService,
  type TestService,
} from '@flashsale/service-kit';
import { type SpawnedBroker, spawnBrokerForTests } from '@flashsale/testing';
import { InventoryConfig } from '../../src/config/inventory.config';
import { createInventoryApp } from '../../src/inventory-app';
import { sleep, waitFor } from '@flashsale/testing';

export interface InventoryTestEnv {
  broker: SpawnedBroker;
  service: TestService;
  producer: Producer;
  admin: AdminClient;
  /** This test's SALE_KEY_PREFIX; stop() deletes the keys under it. */
  saleKeyPrefix: string;
  stop(): Promise<void>;
}

export async function startInventoryTestEnv(
  brokerEnv: Record<string, string> = {},
): Promise<InventoryTestEnv> {
  const broker = await spawnBrokerForTests({ env: brokerEnv });
  let service: TestService | undefined;
  const producer = new Producer({ nameServer: broker.namesrvAddr, producerGroup: `test-${randomUUID()}` });
  const admin = new AdminClient({ nameServer: broker.namesrvAddr });
  const saleKeyPrefix = `inventory_test_sale_${randomUUID().slice(0, 8)}:`;
  try {
    // Topics first: a consumer subscribed to a topic without a route backs off (up to 20 s) before it
    // looks again, which would only slow the tests down.
    for (const topic of [Topics.ORDER_CREATED, Topics.ORDER_CLOSED, Topics.STOCK_DEDUCT_FAILED]) {
      await admin.createTopic(topic, { readQueueNums: 4, writeQueueNums: 4 });
    }
    service = await startTestService(
      'inventory',
      (env: Environment) => createInventoryApp(loadServiceConfig(InventoryConfig, env)),
      { NAMESRV_ADDR: broker.namesrvAddr, SALE_KEY_PREFIX: saleKeyPrefix },
    );
    await producer.start();
    const started = service;
    return {
      broker,
      service: started,
      producer,
      admin,
      saleKeyPrefix,
      stop: async () => {
        await producer.shutdown().catch(() => undefined);
        admin.close();
        await started.stop();
        await deleteRedisKeys(requireEnv('REDIS_URL'), saleKeyPrefix);
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

export function orderCreated(overrides: Partial<OrderCreatedEvent> = {}): OrderCreatedEvent {
  return {
    orderId: randomUUID(),
    saleId: 'sale-1',
    sku: 'SKU-1',
    userId: `user-${randomUUID()}`,
    quantity: 1,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

export function orderClosed(created: OrderCreatedEvent): OrderClosedEvent {
  return {
    orderId: created.orderId,
    saleId: created.saleId,
    sku: created.sku,
    quantity: created.quantity,
    status: 'CLOSED',
    closedAt: new Date().toISOString(),
  };
}

export { sleep };

/** Polls `probe` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(probe, what, timeoutMs);
}

/**
 * Until the group has consumed every message of the topic (committed offsets reach the broker's max
 * offsets): proof that each delivery, duplicates included, went through the handler and was acked.
 */
export async function waitUntilConsumed(admin: AdminClient, group: string, topic: string): Promise<void> {
  await waitUntil(async () => {
    const stats = await admin.examineConsumeStats(group, topic).catch(() => undefined);
    return stats !== undefined && stats.queues.length > 0 && stats.totalLag === 0;
  }, `${group} to consume all of ${topic}`);
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (the Jest global setup provides it)`);
  return value;
}
