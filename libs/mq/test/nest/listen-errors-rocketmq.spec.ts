/** listen() reports what keeps the transport from starting to its callback (Nest rejects listen()). */
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { MqConsumer, RocketMQServer, ROCKETMQ_TRANSPORT } from '@flashsale/mq/nest';
import { type TestCluster, startTestCluster, uniqueName, unusedPort } from './support/nest-test-helpers';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterAll(async () => {
  await cluster.stop();
});

async function listenError(module: new () => unknown, server: RocketMQServer): Promise<unknown> {
  const app = await NestFactory.createMicroservice(module, { strategy: server, logger: false });
  try {
    await app.listen();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await app.close();
  }
}

function moduleWith(controller: new () => unknown): new () => unknown {
  @Module({ controllers: [controller] })
  class AppModule {}
  return AppModule;
}

it('fails listen when no NameServer answers', async () => {
  const topic = uniqueName('T');
  @Controller()
  class C {
    @MqConsumer({ topic, group: uniqueName('cg') })
    handle(): void {}
  }
  const server = new RocketMQServer({ nameServer: `127.0.0.1:${await unusedPort()}` });
  expect(await listenError(moduleWith(C), server)).toMatchObject({ code: 'NAME_SERVER_UNREACHABLE' });
});

it('fails listen for two handlers of one topic in one group', async () => {
  const topic = uniqueName('T');
  const group = uniqueName('cg');
  @Controller()
  class C {
    @MqConsumer({ topic, group })
    first(): void {}

    @EventPattern({ topic, group }, ROCKETMQ_TRANSPORT, { tags: 'A' })
    second(): void {}
  }
  const server = new RocketMQServer({ nameServer: cluster.namesrvAddr });
  expect(await listenError(moduleWith(C), server)).toMatchObject({ code: 'DUPLICATE_HANDLER' });
});

it('fails listen for a plain @EventPattern when the server has no default group', async () => {
  @Controller()
  class C {
    @EventPattern(uniqueName('T'))
    handle(): void {}
  }
  const server = new RocketMQServer({ nameServer: cluster.namesrvAddr });
  expect(await listenError(moduleWith(C), server)).toMatchObject({ code: 'MISSING_CONSUMER_GROUP' });
});
