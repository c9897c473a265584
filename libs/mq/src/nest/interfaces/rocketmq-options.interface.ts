import { type Deserializer, type IncomingEvent, type Serializer } from '@nestjs/microservices';
import {
  type ClientLogger,
  type MessageExt,
  type Producer,
  type ProducerOptions,
  type PushConsumerFromWhere,
  type PushConsumerOptions,
} from '../../client';
import { type MessageModel } from '../../protocol';

/** Settings that belong to a consumer group as a whole (one PushConsumer per group). */
export interface MqConsumerGroupSettings {
  messageModel?: MessageModel;
  /** Where a group with no committed offset starts. */
  consumeFromWhere?: PushConsumerFromWhere;
  /** Handler calls running at once for the group (PushConsumer `consumeConcurrency`). */
  concurrency?: number;
  /** After this many failed attempts the broker moves a message to %DLQ%<group> (16). */
  maxReconsumeTimes?: number;
  /**
   * Orderly consumption: each queue is consumed by one handler call at a time while this client holds
   * the broker's queue lock; a failure suspends the queue and retries in place instead of going
   * through the retry topic, so messages with one sharding key are handled in the order sent.
   */
  orderly?: boolean;
}

/** What a handler's `@EventPattern(pattern, extras)` extras may carry. */
export interface MqConsumerExtras extends MqConsumerGroupSettings {
  /** Subscription expression: '*' or 'TagA || TagB'. */
  tags?: string;
}

/** A handler pattern in object form; a plain string pattern is the topic alone. */
export interface RocketMQPattern {
  topic: string;
  /** Consumer group; defaults to the server's `consumerGroup`. */
  group?: string;
}

export interface MqConsumerOptions extends MqConsumerExtras, RocketMQPattern {}

/** Turns a consumed message into Nest's `{ pattern, data }`. */
export type RocketMQDeserializer = Deserializer<MessageExt, IncomingEvent>;

/** Turns the data of `emit(pattern, data)` into a message body. */
export type RocketMQSerializer = Serializer<unknown, Buffer | string>;

export interface RocketMQServerOptions extends MqConsumerGroupSettings {
  /** 'host:9876;host2:9876'. */
  nameServer: string;
  /** Group of handlers whose pattern names none. */
  consumerGroup?: string;
  /** Two servers of one group in one process need different instance names. */
  instanceName?: string;
  /** BROADCASTING: where offsets are kept (default ~/.rocketmq_offsets). */
  offsetStoreDir?: string;
  /** How long close() waits for in-flight handlers (30 s). */
  awaitTerminationMillis?: number;
  /** Any other PushConsumer option (pull batch size, flow control, ...), applied to every group. */
  consumerOptions?: Partial<Omit<PushConsumerOptions, 'nameServer' | 'consumerGroup'>>;
  /** Default: JSON body, raw UTF-8 string when the body is not JSON. */
  deserializer?: RocketMQDeserializer;
  /** Logger handed to the client library (default: Nest's Logger). */
  clientLogger?: ClientLogger;
  /** Ask a NameServer for the cluster before starting consumers, so a wrong address fails listen (true). */
  checkNameServerOnListen?: boolean;
}

/** `emit(pattern, data)`: a topic, or a topic with the message's attributes. */
export interface RocketMQEmitPattern {
  topic: string;
  tags?: string;
  /** Business keys (e.g. the order id), indexed by the broker for query-by-key. */
  keys?: string | string[];
  /** Messages with one sharding key go to one queue, so an orderly consumer sees them in order. */
  shardingKey?: string;
  /** 1..18 → 1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h. */
  delayTimeLevel?: number;
  properties?: Record<string, string>;
}

export interface RocketMQClientOptions {
  /** With producerGroup: the client owns a producer that connect() starts and close() shuts down. */
  nameServer?: string;
  producerGroup?: string;
  instanceName?: string;
  producerOptions?: Partial<Omit<ProducerOptions, 'nameServer' | 'producerGroup'>>;
  /** Or borrow a producer whose owner starts and shuts it down (MqModule does this). */
  producer?: Producer;
  /** Default: JSON.stringify; a Buffer is sent as it is. */
  serializer?: RocketMQSerializer;
  clientLogger?: ClientLogger;
}
