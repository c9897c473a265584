/**
 * Typed failures of the NestJS transport. Broker and network failures keep their own types
 * (MQClientError, MQBrokerError) and arrive here as `cause`.
 */
export type RocketMQTransportErrorCode =
  /** A handler's pattern names no consumer group and the server has no default `consumerGroup`. */
  | 'MISSING_CONSUMER_GROUP'
  /** A pattern that is neither a topic string nor `{ topic, group? }`. */
  | 'INVALID_PATTERN'
  /** Two handlers for one topic in one group: a RocketMQ group has one subscription per topic. */
  | 'DUPLICATE_HANDLER'
  /** Handlers of one group disagree on a group-wide setting (messageModel, concurrency, ...). */
  | 'CONFLICTING_GROUP_OPTIONS'
  /** `ClientProxy.send()`: RocketMQ has no reply channel in this model. */
  | 'REQUEST_RESPONSE_NOT_SUPPORTED'
  /** `unwrap()` before `listen()` / `connect()`. */
  | 'NOT_INITIALIZED'
  /** `listen()` could not reach any NameServer. */
  | 'NAME_SERVER_UNREACHABLE'
  /** A consumed message whose (group, topic) has no handler (it is retried, then dead-lettered). */
  | 'NO_EVENT_HANDLER'
  /** `@InjectProducer(name)` / `registry.get(name)` for a name the module options do not define. */
  | 'UNKNOWN_PRODUCER'
  /** Options that cannot work, e.g. a client with neither a producer nor nameServer + producerGroup. */
  | 'INVALID_OPTIONS';

export class RocketMQTransportError extends Error {
  override readonly name = 'RocketMQTransportError';

  constructor(
    readonly code: RocketMQTransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
