/** Tokens and metadata keys of the NestJS integration. */

/** `transportId` of RocketMQServer; @MqConsumer handlers are bound to it and to no other transport. */
export const ROCKETMQ_TRANSPORT = Symbol('ROCKETMQ_TRANSPORT');

/** Metadata key under which @MqConsumer keeps its options (for introspection and tests). */
export const MQ_CONSUMER_METADATA = 'rocketmq:consumer';

/** The resolved MqModule options. */
export const MQ_MODULE_OPTIONS = Symbol('MQ_MODULE_OPTIONS');

/** The RocketMQClient (ClientProxy) that MqModule provides over its default producer. */
export const ROCKETMQ_CLIENT = Symbol('ROCKETMQ_CLIENT');

export const DEFAULT_PRODUCER_NAME = 'default';

/** Injection token of a producer; `@InjectProducer(name)` uses it. */
export function getProducerToken(name: string = DEFAULT_PRODUCER_NAME): string {
  return `RocketMQProducer:${name}`;
}

/** Tags expression that takes every message of a topic. */
export const ALL_TAGS = '*';

/** `status` of RocketMQServer and RocketMQClient (11.x `Server`/`ClientProxy` status shape). */
export const RocketMQStatus = {
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  DISCONNECTED: 'disconnected',
} as const;
export type RocketMQStatus = (typeof RocketMQStatus)[keyof typeof RocketMQStatus];
