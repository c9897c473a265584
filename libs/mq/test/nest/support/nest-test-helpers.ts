/** Helpers of the NestJS transport's integration tests: real broker, real Nest apps, no mocks. */
import { type INestApplication, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AdminClient } from '@flashsale/mq';
import { RocketMQServer, type RocketMQServerOptions } from '@flashsale/mq/nest';
import { sleep } from '../../support/client-test-helpers';

export {
  type TestCluster,
  type TestDir,
  makeTestDir,
  sleep,
  startTestCluster,
  uniqueName,
  unusedPort,
  waitFor,
} from '../../support/client-test-helpers';

/** Polls an async condition every 100 ms; rejects with `what` after `timeoutMillis`. */
export async function waitForAsync(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMillis = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function createTopic(namesrvAddr: string, topic: string, queues = 4): Promise<void> {
  const admin = new AdminClient({ nameServer: namesrvAddr });
  try {
    await admin.createTopic(topic, { readQueueNums: queues, writeQueueNums: queues });
  } finally {
    admin.close();
  }
}

/** The way the services run: a Fastify HTTP app with the RocketMQ server connected as a microservice. */
export async function startHybridApp(
  module: Type,
  serverOptions: RocketMQServerOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, new FastifyAdapter(), { logger: false });
  app.connectMicroservice({ strategy: new RocketMQServer(serverOptions) });
  await app.init();
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return app;
}

/** A microservice-only app (NestFactory.createMicroservice). */
export async function startMicroservice(
  module: Type,
  serverOptions: RocketMQServerOptions,
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    strategy: new RocketMQServer(serverOptions),
    logger: false,
  });
  await app.listen();
  return app;
}
