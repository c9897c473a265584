/**
 * `MqModule.forRoot` / `forRootAsync`: injectable producers (`@InjectProducer(name?)`), an AdminClient
 * and a RocketMQClient (ClientProxy, token ROCKETMQ_CLIENT) over the default producer. Consumers are
 * not here: they are handlers of a RocketMQServer connected with `app.connectMicroservice`.
 */
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AdminClient } from '../client';
import { RocketMQClient } from './client-rocketmq';
import { type MqModuleAsyncOptions, type MqModuleOptions } from './interfaces/mq-module-options.interface';
import { DEFAULT_PRODUCER_NAME, MQ_MODULE_OPTIONS, ROCKETMQ_CLIENT, getProducerToken } from './mq.constants';
import { MqProducerRegistry } from './mq-producer-registry';

@Module({})
export class MqModule {
  static forRoot(options: MqModuleOptions & { isGlobal?: boolean }): DynamicModule {
    const names = (options.producers ?? []).map((definition) => definition.name);
    return MqModule.build({ provide: MQ_MODULE_OPTIONS, useValue: options }, names, options.isGlobal);
  }

  static forRootAsync(options: MqModuleAsyncOptions): DynamicModule {
    const optionsProvider: Provider = {
      provide: MQ_MODULE_OPTIONS,
      useFactory: options.useFactory,
      inject: options.inject ?? [],
    };
    return MqModule.build(optionsProvider, options.producerNames ?? [], options.isGlobal, options.imports);
  }

  private static build(
    optionsProvider: Provider,
    producerNames: string[],
    isGlobal = false,
    imports: DynamicModule['imports'] = [],
  ): DynamicModule {
    const producerProviders: Provider[] = [DEFAULT_PRODUCER_NAME, ...producerNames].map((name) => ({
      provide: getProducerToken(name),
      useFactory: (registry: MqProducerRegistry) => registry.get(name),
      inject: [MqProducerRegistry],
    }));
    const clientProvider: Provider = {
      provide: ROCKETMQ_CLIENT,
      useFactory: (registry: MqProducerRegistry, moduleOptions: MqModuleOptions) =>
        new RocketMQClient({ producer: registry.get(), serializer: moduleOptions.serializer }),
      inject: [MqProducerRegistry, MQ_MODULE_OPTIONS],
    };
    const adminProvider: Provider = {
      provide: AdminClient,
      useFactory: (registry: MqProducerRegistry) => registry.admin,
      inject: [MqProducerRegistry],
    };
    return {
      module: MqModule,
      global: isGlobal,
      imports,
      providers: [optionsProvider, MqProducerRegistry, ...producerProviders, clientProvider, adminProvider],
      exports: [
        MqProducerRegistry,
        ...producerProviders.map((provider) => (provider as { provide: string }).provide),
        ROCKETMQ_CLIENT,
        AdminClient,
      ],
    };
  }
}
