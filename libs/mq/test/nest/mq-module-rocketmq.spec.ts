/** MqModule.forRootAsync: injectable producers started on init and shut down on close. */
import { Inject, Injectable, Module } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AdminClient, type Producer } from '@flashsale/mq';
import { InjectProducer, MqModule } from '@flashsale/mq/nest';
import { type TestCluster, createTopic, startTestCluster, uniqueName } from './support/nest-test-helpers';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterAll(async () => {
  await cluster.stop();
});

it('provides named producers from async options, started on init and shut down on close', async () => {
  const topic = uniqueName('Audit');
  await createTopic(cluster.namesrvAddr, topic);

  @Injectable()
  class MqSettings {
    readonly nameServer = cluster.namesrvAddr;
  }
  @Module({ providers: [MqSettings], exports: [MqSettings] })
  class SettingsModule {}

  @Injectable()
  class AuditService {
    constructor(
      @InjectProducer() readonly orders: Producer,
      @InjectProducer('audit') readonly audit: Producer,
      // The class is the token; explicit, so the import stays a value after type-only elision.
      @Inject(AdminClient) readonly admin: AdminClient,
    ) {}
  }

  const moduleRef = await Test.createTestingModule({
    imports: [
      MqModule.forRootAsync({
        imports: [SettingsModule],
        inject: [MqSettings],
        useFactory: (settings: MqSettings) => ({
          nameServer: settings.nameServer,
          producerGroup: uniqueName('pg'),
          producers: [{ name: 'audit', producerGroup: uniqueName('audit-pg'), sendMsgTimeout: 5000 }],
        }),
        producerNames: ['audit'],
      }),
    ],
    providers: [AuditService],
  }).compile();
  const app = await moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }).init();
  const service = app.get(AuditService);

  expect(service.orders).not.toBe(service.audit);
  expect(service.audit.producerGroup).toMatch(/^audit-pg/);
  const sent = await service.audit.send({ topic, body: 'x', keys: 'k-1' });
  expect(sent.sendStatus).toBe('SEND_OK');
  expect((await service.orders.send({ topic, body: 'y' })).sendStatus).toBe('SEND_OK');
  expect((await service.admin.examineTopicRoute(topic))?.queueDatas.length).toBeGreaterThan(0);

  await app.close();
  await expect(service.audit.send({ topic, body: 'late' })).rejects.toMatchObject({ reason: 'SHUT_DOWN' });
});
