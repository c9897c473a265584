import { AdminClient } from '@flashsale/mq';
import { RocketMQServer, type RocketMQServerOptions } from '@flashsale/mq/nest';
import { type DynamicModule, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, type ServiceAppOptions } from './create-service-app';

export interface HybridServiceOptions extends ServiceAppOptions {
  /** The RocketMQ consumers' transport (`@MqConsumer` handlers); `nameServer` is required. */
  rocketmq: RocketMQServerOptions;
  /**
   * How long start-up waits for a NameServer that knows a broker. `npm start` starts the broker and
   * the services side by side, so a service may be up first. Default 60 s.
   */
  waitForBrokerMillis?: number;
  /**
   * Topics to create (8 queues, UPDATE_AND_CREATE_TOPIC on every master) before consuming. Topics
   * created on first send would work too, but a consumer that subscribed first only sees them at its
   * next rebalance, and production clusters usually run with topic auto-creation off.
   */
  topics?: readonly string[];
}

/**
 * A service as main.ts and the tests run it: HTTP on Fastify plus the RocketMQ consumers (a Nest
 * hybrid app), initialised and consuming, not yet listening on HTTP.
 *
 * Order matters: `init()` starts the database (migrations), Redis and the producers before
 * `startAllMicroservices()` starts the consumers, so a handler can always send. On close Nest stops
 * the consumers first (in-flight handlers finish, offsets are committed), then the producers.
 */
export async function createHybridServiceApp(
  rootModule: DynamicModule,
  options: HybridServiceOptions,
): Promise<NestFastifyApplication> {
  const app = await createServiceApp(rootModule, options);
  try {
    await waitForBroker(options.rocketmq.nameServer, options.waitForBrokerMillis ?? 60_000);
    await ensureTopics(options.rocketmq.nameServer, options.topics ?? []);
    app.connectMicroservice({ strategy: new RocketMQServer(options.rocketmq) });
    await app.init();
    await app.startAllMicroservices();
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/** Creates the topics that do not exist yet; creating an existing topic only re-applies its settings. */
export async function ensureTopics(nameServer: string, topics: readonly string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = new AdminClient({ nameServer });
  try {
    for (const topic of topics) await admin.createTopic(topic, { readQueueNums: 8, writeQueueNums: 8 });
  } finally {
    admin.close();
  }
}

/** Polls the NameServer until it lists at least one broker, or throws after `timeoutMillis`. */
export async function waitForBroker(nameServer: string, timeoutMillis: number): Promise<void> {
  const logger = new Logger('Bootstrap');
  const deadline = Date.now() + timeoutMillis;
  let warned = false;
  for (;;) {
    const admin = new AdminClient({ nameServer, apiTimeoutMillis: 1000 });
    try {
      const info = await admin.getClusterInfo();
      if (Object.keys(info.brokerAddrTable ?? {}).length > 0) return;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new Error(`no broker registered at the NameServer ${nameServer} within ${timeoutMillis} ms`, {
          cause: error,
        });
      }
    } finally {
      admin.close();
    }
    if (Date.now() >= deadline) {
      throw new Error(`no broker registered at the NameServer ${nameServer} within ${timeoutMillis} ms`);
    }
    if (!warned) logger.log(`waiting for a broker at the NameServer ${nameServer}`);
    warned = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
