/**
 * Integration-test harness of the order service: a spawned broker (real NameServer + broker over
 * TCP), the order app on its own database and Redis prefixes, and helpers to watch the topics it
 * publishes to. Real PostgreSQL and Redis come from DATABASE_URL / REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { Topics } from '@flashsale/contracts';
import { AdminClient, type MessageExt, Producer, PushConsumer } from '@flashsale/mq';
import {
  deleteRedisKeys,
  type Environment,
  loadServiceConfig,
  startTestService,
  type TestService,
} from '@flashsale/service-kit';
import { type SpawnedBroker, spawnBrokerForTests } from '@flashsale/testing';
import { createOrderApp } from '../../src/app.factory';
import { OrderConfig } from '../../src/config/order.config';
import { sleep, waitFor as pollUntil } from '@flashsale/testing';

/** Broker settings that make check-backs and timers fast enough for tests. */
export const FAST_BROKER_ENV: Record<string, string> = {
  TRANSACTION_CHECK_INTERVAL: '300',
  TRANSACTION_TIMEOUT: '1000',
  TIMER_PRECISION_MS: '100',
  DELAY_LEVEL_SCALE: '0.01',
};

export async function startBroker(): Promise<SpawnedBroker> {
  const broker = await spawnBrokerForTests({ env: FAST_BROKER_ENV });
  // Created up front: a consumer that subscribes to a topic without a route backs off for seconds.
  const admin = new AdminClient({ nameServer: broker.namesrvAddr });
  try {
    for (const topic of Object.values(Topics))
      await admin.createTopic(topic, { readQueueNums: 4, writeQueueNums: 4 });
  } finally {
    admin.close();
  }
  return broker;
}

export interface OrderTestService extends TestService {
  salePrefix: string;
  config: OrderConfig;
}

/** The order app as main.ts builds it, against `broker`, with its own DB, Redis prefix and sale prefix. */
export async function startOrderService(
  broker: SpawnedBroker,
  overrides: Environment = {},
): Promise<OrderTestService> {
  const salePrefix = `order_sale_test_${randomBytes(4).toString('hex')}:`;
  let config: OrderConfig | undefined;
  const service = await startTestService(
    'order',
    (env) => {
      config = loadServiceConfig(OrderConfig, env);
      return createOrderApp(config);
    },
    { NAMESRV_ADDR: broker.namesrvAddr, SALE_KEY_PREFIX: salePrefix, ...overrides },
  );
  const stop = async () => {
    await service.stop();
    await deleteRedisKeys(process.env.REDIS_URL!, salePrefix).catch(() => undefined);
  };
  return { ...service, stop, salePrefix, config: config! };
}

/** Everything published to one topic from its beginning, as parsed JSON bodies with their messages. */
export class TopicRecorder<T = Record<string, unknown>> {
  readonly received: { body: T; message: MessageExt }[] = [];

  private constructor(private readonly consumer: PushConsumer) {}

  static async start<T>(nameServer: string, topic: string): Promise<TopicRecorder<T>> {
    const id = randomBytes(4).toString('hex');
    const consumer = new PushConsumer({
      nameServer,
      consumerGroup: `order_test_recorder_${id}`,
      instanceName: `recorder-${id}`,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    const recorder = new TopicRecorder<T>(consumer);
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener(async (messages) => {
      for (const message of messages) {
        recorder.received.push({ body: JSON.parse(message.body.toString('utf8')) as T, message });
      }
      return 'CONSUME_SUCCESS' as const;
    });
    await consumer.start();
    return recorder;
  }

  bodies(filter: (body: T) => boolean = () => true): T[] {
    return this.received.map((entry) => entry.body).filter(filter);
  }

  stop(): Promise<void> {
    return this.consumer.shutdown();
  }
}

/** A plain producer for tests that play another service (inventory) or redeliver a message. */
export async function startTestProducer(nameServer: string): Promise<Producer> {
  const id = randomBytes(4).toString('hex');
  const producer = new Producer({
    nameServer,
    producerGroup: `order_test_producer_${id}`,
    instanceName: `tp-${id}`,
  });
  await producer.start();
  return producer;
}

export { sleep };

/** Polls `probe` until it returns a truthy value; rejects naming `what` after `timeoutMs`. */
export function waitFor<T>(
  probe: () => Promise<T> | T,
  what: string,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  return pollUntil(probe, what, timeoutMs, 50);
}

/** A parsed JSON answer; tests read whichever fields they assert on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes
type Json = any;

/** JSON request against the service. */
export async function http(
  service: TestService,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A sale that is open now, created through the API. */
export async function createOpenSale(
  service: TestService,
  overrides: Partial<{
    quantity: number;
    perUserLimit: number;
    priceCents: number;
    startsAt: Date;
    endsAt: Date;
  }> = {},
): Promise<{ id: string; sku: string }> {
  const now = Date.now();
  const sku = `SKU-${randomBytes(3).toString('hex')}`;
  const response = await http(service, 'POST', '/sales', {
    sku,
    title: 'Test sale',
    priceCents: overrides.priceCents ?? 990,
    quantity: overrides.quantity ?? 10,
    perUserLimit: overrides.perUserLimit ?? 1,
    startsAt: (overrides.startsAt ?? new Date(now - 60_000)).toISOString(),
    endsAt: (overrides.endsAt ?? new Date(now + 3_600_000)).toISOString(),
  });
  if (response.status !== 201)
    throw new Error(`POST /sales answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { id: response.body.id as string, sku };
}
