/**
 * The producers of MqModule and their life cycle.
 *
 * Interview question: "How do you shut a service down without losing messages?" — in order: Nest
 * closes the microservice servers first (consumers stop pulling, finish in-flight handlers, commit
 * offsets) and only then calls onApplicationShutdown, where the producers leave — so a handler that
 * is still running can still send. Producers start in onModuleInit, before any consumer is started.
 */
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AdminClient, Producer } from '../client';
import { RocketMQTransportError } from './errors/rocketmq-transport.error';
import { type MqModuleOptions } from './interfaces/mq-module-options.interface';
import { DEFAULT_PRODUCER_NAME, MQ_MODULE_OPTIONS } from './mq.constants';
import { nestClientLogger } from './nest-client-logger';

@Injectable()
export class MqProducerRegistry implements OnModuleInit, OnApplicationShutdown {
  readonly admin: AdminClient;
  private readonly producers = new Map<string, Producer>();

  constructor(@Inject(MQ_MODULE_OPTIONS) options: MqModuleOptions) {
    const {
      nameServer,
      producerGroup,
      producers = [],
      serializer: _serializer,
      clientLogger,
      ...defaults
    } = options;
    const logger = clientLogger ?? nestClientLogger('MqModule');
    this.producers.set(
      DEFAULT_PRODUCER_NAME,
      new Producer({ ...defaults, nameServer, producerGroup, logger }),
    );
    for (const { name, ...definition } of producers) {
      this.producers.set(name, new Producer({ ...defaults, ...definition, nameServer, logger }));
    }
    this.admin = new AdminClient({ nameServer, logger });
  }

  get(name: string = DEFAULT_PRODUCER_NAME): Producer {
    const producer = this.producers.get(name);
    if (producer === undefined) {
      throw new RocketMQTransportError('UNKNOWN_PRODUCER', `MqModule defines no producer named ${name}`);
    }
    return producer;
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([...this.producers.values()].map((producer) => producer.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.producers.values()].map((producer) => producer.shutdown()));
    this.admin.close();
  }
}
