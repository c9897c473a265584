import { type InjectionToken, type ModuleMetadata, type OptionalFactoryDependency } from '@nestjs/common';
import { type ClientLogger, type ProducerOptions } from '../../client';
import { type RocketMQSerializer } from './rocketmq-options.interface';

type ProducerSettings = Partial<Omit<ProducerOptions, 'nameServer' | 'producerGroup' | 'logger'>>;

/** An extra producer, injected with `@InjectProducer(name)`. */
export interface MqProducerDefinition extends ProducerSettings {
  name: string;
  producerGroup: string;
}

export interface MqModuleOptions extends ProducerSettings {
  /** 'host:9876;host2:9876'. */
  nameServer: string;
  /** Group of the default producer (`@InjectProducer()`, and the one behind ROCKETMQ_CLIENT). */
  producerGroup: string;
  producers?: MqProducerDefinition[];
  /** Serializer of the provided RocketMQClient. */
  serializer?: RocketMQSerializer;
  /** Logger handed to the client library (default: Nest's Logger). */
  clientLogger?: ClientLogger;
}

export interface MqModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's own factory signature
  useFactory: (...args: any[]) => MqModuleOptions | Promise<MqModuleOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Names of the extra producers the factory defines: injection tokens must exist before it runs. */
  producerNames?: string[];
  isGlobal?: boolean;
}
