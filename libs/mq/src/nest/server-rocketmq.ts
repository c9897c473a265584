/**
 * RocketMQ as a Nest microservice transport (`CustomTransportStrategy`): one PushConsumer per consumer
 * group, each message routed to the handler of its (group, topic), the handler's outcome turned into
 * the consumer's status.
 *
 * Interview questions: "Push or pull?" — the 'push' handler is fed by long-polling pulls (the broker
 * holds PULL_MESSAGE up to 15 s until messages arrive). "When is a message acknowledged, and what if
 * the handler fails?" — resolving is CONSUME_SUCCESS, which lets the committed offset move past it;
 * throwing is RECONSUME_LATER: the message goes back to the broker's %RETRY%<group> topic with a
 * growing delay and, after maxReconsumeTimes, to %DLQ%<group>. Delivery is at-least-once, so
 * handlers must be idempotent (dedupe on `ctx.getKeys()`).
 */
import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import {
  AdminClient,
  type ClientLogger,
  type ConsumeConcurrentlyStatus,
  type MessageExt,
  PushConsumer,
} from '../client';
import {
  type ConsumerGroupEntry,
  ConsumerGroupPlan,
  resolveSubscription,
  routePattern,
} from './consumer-group-plan';
import { RocketMQContext } from './ctx-host/rocketmq.context';
import { JsonDeserializer } from './deserializers/json.deserializer';
import { RocketMQTransportError } from './errors/rocketmq-transport.error';
import {
  type MqConsumerExtras,
  type RocketMQDeserializer,
  type RocketMQServerOptions,
} from './interfaces/rocketmq-options.interface';
import { ROCKETMQ_TRANSPORT, RocketMQStatus } from './mq.constants';
import { nestClientLogger } from './nest-client-logger';

export type RocketMQServerEvents = {
  /** A handler failed a message; clustering redelivers it through the broker, broadcasting drops it. */
  consumeFailed: (error: unknown, context: RocketMQContext) => void;
};

const NAME_SERVER_CHECK_TIMEOUT_MILLIS = 3000;

/** @publicApi */
export class RocketMQServer
  extends Server<RocketMQServerEvents, RocketMQStatus>
  implements CustomTransportStrategy
{
  override readonly transportId = ROCKETMQ_TRANSPORT;
  protected override readonly logger = new Logger(RocketMQServer.name);
  protected override deserializer: RocketMQDeserializer;
  private readonly clientLogger: ClientLogger;
  private readonly plan = new ConsumerGroupPlan();
  /** Pattern problems found while Nest registers handlers; listen() reports them to its callback. */
  private readonly setupErrors: unknown[] = [];
  private readonly consumers = new Map<string, PushConsumer>();
  private readonly eventListeners: { [K in keyof RocketMQServerEvents]: RocketMQServerEvents[K][] } = {
    consumeFailed: [],
  };

  constructor(private readonly options: RocketMQServerOptions) {
    super();
    this.deserializer = options.deserializer ?? new JsonDeserializer();
    this.clientLogger = options.clientLogger ?? nestClientLogger(RocketMQServer.name);
  }

  /** Called by Nest for every handler bound to this transport, before listen(). */
  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: MqConsumerExtras = {},
  ): void {
    if (!isEventHandler) {
      // An unbound @MessagePattern of a hybrid app meant for another transport lands here too.
      this.logger.warn(`RocketMQ has no request-response; @MessagePattern ${String(pattern)} ignored`);
      return;
    }
    try {
      const subscription = resolveSubscription(pattern, extras, this.options.consumerGroup);
      this.plan.add(subscription, extras);
      super.addHandler(routePattern(subscription), callback, true, extras);
    } catch (error) {
      this.setupErrors.push(error);
    }
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      await this.close();
      return callback(error);
    }
    callback();
  }

  /** Graceful: each consumer stops pulling, waits for in-flight handlers and commits its offsets. */
  async close(): Promise<void> {
    const consumers = [...this.consumers.values()];
    this.consumers.clear();
    await Promise.all(consumers.map((consumer) => consumer.shutdown()));
    this._status$.next(RocketMQStatus.DISCONNECTED);
  }

  on<K extends keyof RocketMQServerEvents>(event: K, callback: RocketMQServerEvents[K]): void {
    this.eventListeners[event].push(callback);
  }

  /** The PushConsumers by consumer group. */
  unwrap<T = ReadonlyMap<string, PushConsumer>>(): T {
    if (this.consumers.size === 0) {
      throw new RocketMQTransportError('NOT_INITIALIZED', 'the server is not listening');
    }
    return this.consumers as T;
  }

  private async start(): Promise<void> {
    if (this.setupErrors.length > 0) throw this.setupErrors[0];
    this._status$.next(RocketMQStatus.CONNECTING);
    if (this.options.checkNameServerOnListen !== false) await this.checkNameServer();
    for (const entry of this.plan.groups) {
      const consumer = this.createConsumer(entry);
      this.consumers.set(entry.group, consumer);
      await consumer.start();
    }
    this._status$.next(RocketMQStatus.CONNECTED);
  }

  /** The consumer itself keeps retrying an unreachable NameServer; a wrong address should fail start-up. */
  private async checkNameServer(): Promise<void> {
    const admin = new AdminClient({
      nameServer: this.options.nameServer,
      logger: this.clientLogger,
      apiTimeoutMillis: NAME_SERVER_CHECK_TIMEOUT_MILLIS,
    });
    try {
      await admin.getClusterInfo();
    } catch (error) {
      throw new RocketMQTransportError(
        'NAME_SERVER_UNREACHABLE',
        `no NameServer answered at ${this.options.nameServer}`,
        { cause: error },
      );
    } finally {
      admin.close();
    }
  }

  private createConsumer(entry: ConsumerGroupEntry): PushConsumer {
    const { options } = this;
    const orderly = entry.settings.orderly ?? options.orderly;
    const consumer = new PushConsumer({
      ...options.consumerOptions,
      ...definedOnly({
        instanceName: options.instanceName,
        messageModel: entry.settings.messageModel ?? options.messageModel,
        consumeFromWhere: entry.settings.consumeFromWhere ?? options.consumeFromWhere,
        consumeConcurrency: entry.settings.concurrency ?? options.concurrency,
        maxReconsumeTimes: entry.settings.maxReconsumeTimes ?? options.maxReconsumeTimes,
        offsetStoreDir: options.offsetStoreDir,
        awaitTerminationMillis: options.awaitTerminationMillis,
      }),
      nameServer: options.nameServer,
      consumerGroup: entry.group,
      logger: this.clientLogger,
    });
    for (const [topic, tags] of entry.subscriptions) consumer.subscribe(topic, tags);
    if (orderly) {
      // One queue at a time, under the broker's queue lock; a failure suspends that queue and retries in
      // place, so a later status of the same order can never overtake an earlier one.
      consumer.registerMessageListenerOrderly(async (messages) =>
        (await this.consume(entry.group, messages)) === 'CONSUME_SUCCESS'
          ? 'SUCCESS'
          : 'SUSPEND_CURRENT_QUEUE_A_MOMENT',
      );
    } else {
      consumer.registerMessageListener((messages) => this.consume(entry.group, messages));
    }
    return consumer;
  }

  /** A batch (1 message unless consumeMessageBatchMaxSize says more) succeeds or fails as a whole. */
  private async consume(group: string, messages: MessageExt[]): Promise<ConsumeConcurrentlyStatus> {
    for (const message of messages) {
      const context = new RocketMQContext([message, group]);
      try {
        await this.handleMessage(message, context);
      } catch (error) {
        this.logger.warn(
          `${group} failed ${message.topic} ${message.msgId} (attempt ${message.reconsumeTimes + 1})`,
        );
        for (const listener of this.eventListeners.consumeFailed) listener(error, context);
        return 'RECONSUME_LATER';
      }
    }
    return 'CONSUME_SUCCESS';
  }

  private async handleMessage(message: MessageExt, context: RocketMQContext): Promise<void> {
    const group = context.getConsumerGroup();
    const handler = this.messageHandlers.get(
      this.normalizePattern(routePattern({ group, topic: message.topic })),
    );
    if (handler === undefined) {
      // Retried rather than acknowledged: it ends in the DLQ, where someone can see it.
      throw new RocketMQTransportError('NO_EVENT_HANDLER', `${group} has no handler for ${message.topic}`);
    }
    const packet = await this.deserializer.deserialize(message, { group });
    await new Promise<void>((resolve, reject) => {
      const done = async (): Promise<void> => {
        try {
          await this.invoke(handler, packet.data, context);
          resolve();
        } catch (error) {
          reject(error);
        } finally {
          this.onProcessingEndHook?.(this.transportId, context);
        }
      };
      Promise.resolve()
        .then(() => this.onProcessingStartHook(this.transportId, context, done))
        .catch(reject);
    });
  }

  /**
   * Nest's proxy turns a thrown error into an erroring Observable (after the exception filters), so
   * success is "the stream emitted or completed" and failure "the stream errored".
   */
  private async invoke(handler: MessageHandler, data: unknown, context: RocketMQContext): Promise<void> {
    const result: unknown = await handler(data, context);
    await firstValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
