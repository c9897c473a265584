/**
 * The part of ali-ons@3.12.0 (an independent RocketMQ remoting client, CommonJS, untyped) that the
 * conformance test uses, typed from reading its lib/.
 */
declare module 'ali-ons' {
  import { EventEmitter } from 'node:events';

  export interface AliOnsLogger {
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
    debug(...args: unknown[]): void;
  }

  interface ClientOptions {
    nameSrv: string | string[];
    /** Asserted by the constructor, unused when nameSrv is given. */
    httpclient: object;
    logger?: AliOnsLogger;
    instanceName?: string;
    heartbeatBrokerInterval?: number;
    rebalanceInterval?: number;
    persistConsumerOffsetInterval?: number;
  }

  export interface ProducerOptions extends ClientOptions {
    producerGroup: string;
    sendMsgTimeout?: number;
  }

  export interface ConsumerOptions extends ClientOptions {
    consumerGroup: string;
    consumeFromWhere?: 'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';
    isBroadcast?: boolean;
    pullBatchSize?: number;
    parallelConsumeLimit?: number;
    brokerSuspendMaxTimeMillis?: number;
    consumerTimeoutMillisWhenSuspend?: number;
    /** Default 16; sent as maxReconsumeTimes with every CONSUMER_SEND_MSG_BACK. */
    maxReconsumeTimes?: number;
  }

  export class Message {
    constructor(topic: string, tags: string | null, body: string | Buffer);
    topic: string;
    body: Buffer;
    /** Offset msgId (storeHost + commit-log offset), computed by the client's decoder. */
    msgId: string;
    queueId: number;
    queueOffset: number;
    readonly tags: string | undefined;
    /** Space-separated keys when read; an array when set. */
    get keys(): string | undefined;
    set keys(value: string[]);
    properties: Record<string, string>;
    /** Set on the broker: how many times this message was given back before this delivery. */
    reconsumeTimes: number;
    bornTimestamp: number;
    storeTimestamp: number;
    commitLogOffset: number;
    /** The DELAY property (a delay level; 0 = none). */
    delayTimeLevel: number;
    /** RETRY_TOPIC: the original topic of a retried message. */
    readonly retryTopic: string | undefined;
    readonly originMessageId: string | undefined;
  }

  export interface SendResult {
    sendStatus: string;
    msgId: string;
    queueOffset: number;
    messageQueue: { topic: string; brokerName: string; queueId: number };
  }

  export class Producer extends EventEmitter {
    constructor(options: ProducerOptions);
    static defaultProducer: Producer | undefined;
    ready(): Promise<void>;
    send(msg: Message): Promise<SendResult>;
    close(): Promise<void>;
  }

  export class Consumer extends EventEmitter {
    constructor(options: ConsumerOptions);
    ready(): Promise<void>;
    subscribe(topic: string, subExpression: string, handler: (msg: Message) => Promise<void>): void;
    close(): Promise<void>;
  }
}
