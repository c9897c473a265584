/** The NestJS integration of @flashsale/mq: transport (server + client proxy), decorators, module. */
export * from './mq.constants';
export * from './errors/rocketmq-transport.error';
export * from './interfaces/rocketmq-options.interface';
export * from './interfaces/mq-module-options.interface';
export * from './ctx-host/rocketmq.context';
export * from './decorators/mq-consumer.decorator';
export * from './decorators/inject-producer.decorator';
export * from './serializers/json.serializer';
export * from './deserializers/json.deserializer';
export * from './consumer-group-plan';
export * from './server-rocketmq';
export * from './client-rocketmq';
export * from './mq-producer-registry';
export * from './mq.module';
export * from './nest-client-logger';
