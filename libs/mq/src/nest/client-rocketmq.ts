/**
 * RocketMQ as a Nest ClientProxy: `emit(pattern, data)` is a producer send that completes when the
 * broker has stored the message.
 *
 * Interview questions: "How do you not lose a message on the producer side?" — the Observable emits
 * the broker's SendResult only after SEND_MESSAGE_V2 was answered (retried on another broker on
 * failure), and errors otherwise, so the caller knows; fire-and-forget callers still get the send
 * because emit() is hot. "Why no send()/request-reply?" — RocketMQ delivers to a consumer group, not
 * back to a caller; a reply is another message on a topic the caller consumes, correlated by keys.
 */
import { type ReadPacket, type WritePacket, ClientProxy } from '@nestjs/microservices';
import { type Observable, throwError } from 'rxjs';
import { type Message, Producer, type SendOptions, type SendResult, hashSelector } from '../client';
import { RocketMQTransportError } from './errors/rocketmq-transport.error';
import {
  type RocketMQClientOptions,
  type RocketMQEmitPattern,
  type RocketMQSerializer,
} from './interfaces/rocketmq-options.interface';
import { RocketMQStatus } from './mq.constants';
import { nestClientLogger } from './nest-client-logger';
import { JsonSerializer } from './serializers/json.serializer';

const NO_REQUEST_RESPONSE =
  'RocketMQ delivers a message to consumer groups, not a reply to its sender: use emit(); for a ' +
  'reply, emit to a topic the caller consumes and correlate by keys';

/** @publicApi */
export class RocketMQClient extends ClientProxy<Record<never, never>, RocketMQStatus> {
  protected override serializer: RocketMQSerializer;
  private producer: Producer | undefined;
  private readonly ownsProducer: boolean;
  private connection: Promise<Producer> | undefined;

  constructor(private readonly options: RocketMQClientOptions) {
    super();
    this.serializer = options.serializer ?? new JsonSerializer();
    this.ownsProducer = options.producer === undefined;
    this.producer = options.producer;
    if (this.ownsProducer && (!options.nameServer || !options.producerGroup)) {
      throw new RocketMQTransportError('INVALID_OPTIONS', 'pass a producer, or nameServer and producerGroup');
    }
  }

  /** Starts the owned producer once; a borrowed producer is started by its owner. */
  connect(): Promise<Producer> {
    this.connection ??= this.startProducer().catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.connection = undefined;
    if (this.ownsProducer && producer !== undefined) {
      this.producer = undefined;
      await producer.shutdown();
    }
    this._status$.next(RocketMQStatus.DISCONNECTED);
  }

  /** The Producer behind the proxy. */
  unwrap<T = Producer>(): T {
    if (this.producer === undefined) {
      throw new RocketMQTransportError('NOT_INITIALIZED', 'the client is not connected');
    }
    return this.producer as T;
  }

  /** Not supported: see NO_REQUEST_RESPONSE. The Observable errors with a typed error. */
  override send<TResult = never, TInput = unknown>(_pattern: unknown, _data: TInput): Observable<TResult> {
    return throwError(
      () => new RocketMQTransportError('REQUEST_RESPONSE_NOT_SUPPORTED', NO_REQUEST_RESPONSE),
    );
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new RocketMQTransportError('REQUEST_RESPONSE_NOT_SUPPORTED', NO_REQUEST_RESPONSE) });
    return () => undefined;
  }

  /** ClientProxy's generic signature; the value is always the broker's SendResult. */
  protected async dispatchEvent<T = SendResult>(packet: ReadPacket): Promise<T> {
    const producer = await this.connect();
    const pattern = toEmitPattern(packet.pattern);
    const message: Message = {
      topic: pattern.topic,
      body: this.serializer.serialize(packet.data),
      tags: pattern.tags,
      keys: pattern.keys,
      delayTimeLevel: pattern.delayTimeLevel,
      properties: pattern.properties,
    };
    const sendOptions: SendOptions =
      pattern.shardingKey === undefined ? {} : { selector: hashSelector(pattern.shardingKey) };
    const result = await producer.send(message, sendOptions);
    return result as T;
  }

  private async startProducer(): Promise<Producer> {
    if (!this.ownsProducer) return this.unwrap<Producer>();
    const { options } = this;
    const producer = new Producer({
      logger: options.clientLogger ?? nestClientLogger(RocketMQClient.name),
      ...options.producerOptions,
      nameServer: options.nameServer ?? '',
      producerGroup: options.producerGroup ?? '',
      instanceName: options.instanceName ?? options.producerOptions?.instanceName,
    });
    await producer.start();
    this.producer = producer;
    this._status$.next(RocketMQStatus.CONNECTED);
    return producer;
  }
}

function toEmitPattern(pattern: unknown): RocketMQEmitPattern {
  if (typeof pattern === 'string' && pattern.length > 0) return { topic: pattern };
  if (typeof pattern === 'object' && pattern !== null) {
    const candidate = pattern as RocketMQEmitPattern;
    if (typeof candidate.topic === 'string' && candidate.topic.length > 0) return candidate;
  }
  throw new RocketMQTransportError(
    'INVALID_PATTERN',
    `emit() takes a topic or { topic, tags?, keys?, shardingKey?, delayTimeLevel? }, got ${String(pattern)}`,
  );
}
