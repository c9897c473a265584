/**
 * The producer (`DefaultMQProducer`): route lookup, queue selection, SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE
 * and retries on another broker.
 *
 * Interview questions: "How does a RocketMQ producer make sending reliable?" — a synchronous send
 * waits for the broker's answer; on a network error or a retryable code (17, 14, 1, 16, 204, 205) it
 * retries up to `retryTimesWhenSendFailed` (2) more times within `sendMsgTimeout`, on a different
 * broker when there is one, and the latency fault tolerance keeps it away from the failing broker for a
 * while. A retry after a lost response can store the message twice: that is why RocketMQ is
 * at-least-once and consumers deduplicate. "What are sync, async and oneway sends?" — `send` returns a
 * promise, so it is both: await it for sync semantics, or keep many in flight (async) — one connection
 * multiplexes them by opaque; `sendOneway` does not wait for any answer (no result, no retry).
 */
import { type BatchMessage, type RemotingCommand } from '../protocol';
// Hot-path values come straight from their modules: through the '../protocol' barrel every use is a
// chain of CommonJS getters (see apps/broker/src/store/protocol.ts).
import { encodeBatchBody } from '../protocol/message/batch-codec';
import { MessageConst } from '../protocol/message/message-const';
import { UniqueMessageIdGenerator } from '../protocol/message/message-id';
import { parseSendMessageResponseHeader } from '../protocol/remoting/headers/send-message.header';
import { RemotingConnectionError, RemotingTimeoutError } from '../protocol/remoting/remoting-connection';
import { RequestCode } from '../protocol/remoting/request-code';
import { ResponseCode } from '../protocol/remoting/response-code';
import { MQBrokerError, MQClientError, errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import { LatencyFaultTolerance } from './latency-fault-tolerance';
import { type Message, type MessageQueue, type SendResult, type SendStatus } from './message';
import {
  compressBodyIfLarge,
  encodeMessageProperties,
  joinMessageKeys,
  toBodyBuffer,
  validateMessage,
  validateTopic,
} from './message-encoding';
import { type MessageQueueSelector, RoundRobinQueueSelector } from './message-queue-selector';
import {
  DEFAULT_TOPIC,
  DEFAULT_TOPIC_QUEUE_NUMS,
  MQClientInstance,
  type ProducerHandle,
} from './mq-client-instance';
import { isRetryTopic } from './subscription';
import { type TopicPublishInfo } from './topic-route-cache';

export interface ProducerOptions {
  /** 'host:9876;host2:9876'. */
  nameServer: string;
  producerGroup: string;
  instanceName?: string;
  /** Budget of one send including its retries (3000 ms). */
  sendMsgTimeout?: number;
  /** Extra attempts of a failed synchronous send (2). */
  retryTimesWhenSendFailed?: number;
  /** Bodies of at least this many bytes are deflated (4096). */
  compressMsgBodyOverHowmuch?: number;
  /** Largest accepted body (4 MiB). */
  maxMessageSize?: number;
  /** Avoid slow or failing brokers (on by default here; Java's default is off). */
  sendLatencyFaultEnable?: boolean;
  logger?: ClientLogger;
}

export interface SendOptions {
  /** Send to exactly this queue (no retry on another broker). */
  queue?: MessageQueue;
  /** Choose the queue, e.g. `hashSelector(orderId)` for ordered messages (no retry on another broker). */
  selector?: MessageQueueSelector;
  /** Passed to the selector. */
  arg?: unknown;
  /** Overrides sendMsgTimeout for this send. */
  timeout?: number;
}

/** Send response codes after which the Java producer tries again (`retryResponseCodes`). */
export const RETRY_RESPONSE_CODES: ReadonlySet<number> = new Set([
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
]);

const SEND_STATUS_BY_CODE: ReadonlyMap<number, SendStatus> = new Map([
  [ResponseCode.SUCCESS, 'SEND_OK'],
  [ResponseCode.FLUSH_DISK_TIMEOUT, 'FLUSH_DISK_TIMEOUT'],
  [ResponseCode.FLUSH_SLAVE_TIMEOUT, 'FLUSH_SLAVE_TIMEOUT'],
  [ResponseCode.SLAVE_NOT_AVAILABLE, 'SLAVE_NOT_AVAILABLE'],
]);

/** One prepared request: everything but the queue, which each attempt may choose anew. */
interface PreparedSend {
  topic: string;
  code: number;
  body: Buffer;
  sysFlag: number;
  flag: number;
  properties: string;
  batch: boolean;
  msgId: string;
  message: Message;
  /** Header j / l: only for messages to a %RETRY% topic (a consumer's fallback send-back). */
  reconsumeTimes: number;
  maxReconsumeTimes: number | undefined;
}

const DEFAULT_TOPIC_QUEUE_NUMS_TEXT = String(DEFAULT_TOPIC_QUEUE_NUMS);

export class Producer {
  readonly producerGroup: string;
  private readonly sendMsgTimeout: number;
  private readonly retryTimes: number;
  private readonly compressOver: number;
  private readonly maxMessageSize: number;
  private readonly faultEnabled: boolean;
  private readonly faultTolerance = new LatencyFaultTolerance();
  private readonly queueSelector = new RoundRobinQueueSelector(this.faultTolerance);
  private readonly idGenerator: UniqueMessageIdGenerator;
  private readonly topics = new Set<string>();
  private instance: MQClientInstance | undefined;
  private state: 'CREATED' | 'RUNNING' | 'SHUT_DOWN' = 'CREATED';

  constructor(private readonly options: ProducerOptions) {
    if (!options.producerGroup) throw new MQClientError('ILLEGAL_ARGUMENT', 'producerGroup is required');
    this.producerGroup = options.producerGroup;
    this.sendMsgTimeout = options.sendMsgTimeout ?? 3000;
    this.retryTimes = options.retryTimesWhenSendFailed ?? 2;
    this.compressOver = options.compressMsgBodyOverHowmuch ?? 4096;
    this.maxMessageSize = options.maxMessageSize ?? 4 * 1024 * 1024;
    this.faultEnabled = options.sendLatencyFaultEnable ?? true;
    this.idGenerator = new UniqueMessageIdGenerator();
  }

  get clientId(): string | undefined {
    return this.instance?.clientId;
  }

  async start(): Promise<void> {
    if (this.state !== 'CREATED') throw new MQClientError('ALREADY_STARTED', `producer is ${this.state}`);
    const instance = MQClientInstance.getOrCreate(this.options);
    instance.registerProducer(this.producerHandle());
    instance.start();
    this.instance = instance;
    this.state = 'RUNNING';
  }

  /** Leaves the producer group on the brokers; in-flight sends still complete or fail. */
  async shutdown(): Promise<void> {
    if (this.state !== 'RUNNING') return;
    this.state = 'SHUT_DOWN';
    await this.instance?.unregisterProducer(this.producerGroup);
  }

  /** Sends one message and resolves with the broker's answer (retries on another broker on failure). */
  send(message: Message, options: SendOptions = {}): Promise<SendResult> {
    return this.sendWithSysFlag(message, 0, options);
  }

  // --- for subclasses (the transactional producer) -------------------------------------------------------

  /** What this producer registers with its client instance (heartbeats carry the group). */
  protected producerHandle(): ProducerHandle {
    return { group: this.producerGroup, publishedTopics: () => this.topics };
  }

  /** `send` with extra sysFlag bits, e.g. TRANSACTION_PREPARED for a half message. */
  protected sendWithSysFlag(
    message: Message,
    sysFlag: number,
    options: SendOptions = {},
  ): Promise<SendResult> {
    let prepared: PreparedSend;
    try {
      prepared = this.prepare(message);
    } catch (error) {
      return Promise.reject(error);
    }
    prepared.sysFlag |= sysFlag;
    return this.sendPrepared(prepared, options);
  }

  /** The started client instance; throws NOT_STARTED / SHUT_DOWN otherwise. */
  protected clientInstance(): MQClientInstance {
    return this.running();
  }

  /** Sends without waiting for the broker (no SendResult, no retry); resolves once written to the socket. */
  async sendOneway(message: Message, options: SendOptions = {}): Promise<void> {
    const prepared = this.prepare(message);
    const info = await this.publishInfo(prepared.topic);
    const mq = this.chooseQueue(info, prepared, options, undefined);
    const addr = await this.brokerAddr(mq);
    await this.running().api.sendOneway(
      addr,
      prepared.code,
      this.header(prepared, mq.queueId),
      prepared.body,
    );
  }

  /**
   * SEND_BATCH_MESSAGE: one request, one commit-log append, consecutive queue offsets. All messages
   * must share a topic and must not be delayed; each gets its own UNIQ_KEY (msgId is comma-joined).
   */
  async sendBatch(messages: readonly Message[], options: SendOptions = {}): Promise<SendResult> {
    return this.sendPrepared(this.prepareBatch(messages), options);
  }

  // --- preparing -------------------------------------------------------------------------------------

  private prepare(message: Message): PreparedSend {
    this.running();
    const raw = toBodyBuffer(message.body);
    validateMessage(message, raw, this.maxMessageSize);
    // A copy of a consumed message keeps its UNIQ_KEY, as Java's setUniqID does (only if absent).
    const msgId = message.properties?.[MessageConst.UNIQ_KEY] || this.idGenerator.next();
    const { body, sysFlag } = compressBodyIfLarge(raw, this.compressOver);
    let reconsumeTimes = 0;
    let maxReconsumeTimes: number | undefined;
    let encoded = message;
    // Java moves these two properties into the header for retry topics; the broker's DLQ decision
    // (reconsumeTimes >= max) reads the header.
    if (isRetryTopic(message.topic) && message.properties !== undefined) {
      const properties = { ...message.properties };
      reconsumeTimes = Number(properties[MessageConst.RECONSUME_TIME] ?? 0) || 0;
      const max = properties[MessageConst.MAX_RECONSUME_TIMES];
      if (max !== undefined && max !== '') maxReconsumeTimes = Number(max);
      delete properties[MessageConst.RECONSUME_TIME];
      delete properties[MessageConst.MAX_RECONSUME_TIMES];
      encoded = { ...message, properties };
    }
    return {
      topic: message.topic,
      code: RequestCode.SEND_MESSAGE_V2,
      body,
      sysFlag,
      flag: message.flag ?? 0,
      properties: encodeMessageProperties(encoded, msgId),
      batch: false,
      msgId,
      message,
      reconsumeTimes,
      maxReconsumeTimes,
    };
  }

  private prepareBatch(messages: readonly Message[]): PreparedSend {
    this.running();
    if (messages.length === 0)
      throw new MQClientError('ILLEGAL_ARGUMENT', 'a batch needs at least one message');
    const topic = messages[0].topic;
    validateTopic(topic);
    const entries: BatchMessage[] = [];
    const ids: string[] = [];
    for (const message of messages) {
      if (message.topic !== topic)
        throw new MQClientError('ILLEGAL_ARGUMENT', 'all messages of a batch need one topic');
      if (message.delayTimeLevel)
        throw new MQClientError('ILLEGAL_ARGUMENT', 'a batch cannot carry delayed messages');
      const body = toBodyBuffer(message.body);
      validateMessage(message, body, this.maxMessageSize);
      const msgId = this.idGenerator.next();
      ids.push(msgId);
      entries.push({ flag: message.flag ?? 0, body, properties: batchEntryProperties(message, msgId) });
    }
    const body = encodeBatchBody(entries);
    if (body.length > this.maxMessageSize) {
      throw new MQClientError(
        'ILLEGAL_ARGUMENT',
        `the batch is ${body.length} bytes, more than ${this.maxMessageSize}`,
      );
    }
    return {
      topic,
      code: RequestCode.SEND_BATCH_MESSAGE,
      body,
      sysFlag: 0,
      flag: 0,
      properties: '',
      batch: true,
      msgId: ids.join(','),
      message: messages[0],
      reconsumeTimes: 0,
      maxReconsumeTimes: undefined,
    };
  }

  /**
   * SendMessageRequestHeaderV2 with its one-letter names (SEND_MESSAGE_V2_FIELD_NAMES; a unit test
   * keeps the two in step). A literal keeps this hot path free of lookups and dictionary-mode objects.
   */
  private header(prepared: PreparedSend, queueId: number): Record<string, string> {
    const ext: Record<string, string> = {
      a: this.producerGroup,
      b: prepared.topic,
      c: DEFAULT_TOPIC,
      d: DEFAULT_TOPIC_QUEUE_NUMS_TEXT,
      e: String(queueId),
      f: String(prepared.sysFlag),
      g: String(Date.now()),
      h: String(prepared.flag),
      j: prepared.reconsumeTimes === 0 ? '0' : String(prepared.reconsumeTimes),
      k: 'false',
      m: prepared.batch ? 'true' : 'false',
    };
    if (prepared.properties.length > 0) ext.i = prepared.properties;
    if (prepared.maxReconsumeTimes !== undefined) ext.l = String(prepared.maxReconsumeTimes);
    return ext;
  }

  // --- sending ---------------------------------------------------------------------------------------

  private async sendPrepared(prepared: PreparedSend, options: SendOptions): Promise<SendResult> {
    const api = this.running().api;
    const timeout = options.timeout ?? this.sendMsgTimeout;
    const deadline = Date.now() + timeout;
    // Cached route and address are plain values: awaiting them would still cost a microtask hop each.
    const routeInfo = this.publishInfo(prepared.topic);
    const info = routeInfo instanceof Promise ? await routeInfo : routeInfo;
    const fixedQueue = options.queue !== undefined || options.selector !== undefined;
    const attempts = fixedQueue ? 1 : 1 + this.retryTimes;
    let lastBrokerName: string | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const mq = this.chooseQueue(info, prepared, options, lastBrokerName);
      const begin = Date.now();
      try {
        const knownAddr = this.brokerAddr(mq);
        const addr = typeof knownAddr === 'string' ? knownAddr : await knownAddr;
        const response = await api.send(
          addr,
          prepared.code,
          this.header(prepared, mq.queueId),
          prepared.body,
          remaining,
        );
        const result = this.toSendResult(response, prepared, mq, addr);
        this.recordLatency(mq.brokerName, Date.now() - begin, false);
        return result;
      } catch (error) {
        if (!isRetryable(error)) throw error;
        this.recordLatency(mq.brokerName, Date.now() - begin, true);
        lastBrokerName = mq.brokerName;
        lastError = error;
        this.instance?.logger.warn(
          `send to ${mq.brokerName} failed (attempt ${attempt + 1}): ${errorMessage(error)}`,
        );
      }
    }
    if (attempts === 1 && lastError !== undefined) throw lastError;
    const why = lastError === undefined ? `timed out after ${timeout} ms` : errorMessage(lastError);
    throw new MQClientError('SEND_FAILED', `send to ${prepared.topic} failed: ${why}`, { cause: lastError });
  }

  private toSendResult(
    response: RemotingCommand,
    prepared: PreparedSend,
    mq: MessageQueue,
    addr: string,
  ): SendResult {
    const sendStatus = SEND_STATUS_BY_CODE.get(response.code);
    if (sendStatus === undefined) throw MQBrokerError.of(response, addr);
    const header = parseSendMessageResponseHeader(response.extFields);
    return {
      sendStatus,
      msgId: prepared.msgId,
      offsetMsgId: header.msgId,
      messageQueue: { topic: mq.topic, brokerName: mq.brokerName, queueId: header.queueId },
      queueOffset: header.queueOffset,
      regionId: header.MSG_REGION ?? 'DefaultRegion',
      traceOn: header.TRACE_ON !== 'false',
    };
  }

  private chooseQueue(
    info: TopicPublishInfo,
    prepared: PreparedSend,
    options: SendOptions,
    lastBrokerName: string | undefined,
  ): MessageQueue {
    if (options.queue !== undefined) return options.queue;
    if (options.selector !== undefined) {
      const chosen = options.selector(info.queues, prepared.message, options.arg);
      if (chosen === undefined) throw new MQClientError('ILLEGAL_ARGUMENT', 'the selector returned no queue');
      return chosen;
    }
    return this.queueSelector.select(prepared.topic, info.queues, lastBrokerName);
  }

  private recordLatency(brokerName: string, latency: number, failed: boolean): void {
    if (this.faultEnabled) this.faultTolerance.updateFaultItem(brokerName, latency, failed);
  }

  private publishInfo(topic: string): Promise<TopicPublishInfo> | TopicPublishInfo {
    const instance = this.running();
    if (!this.topics.has(topic)) this.topics.add(topic);
    const cached = instance.routes.getPublishInfo(topic);
    if (cached !== undefined && cached.queues.length > 0) return cached;
    return instance.findPublishInfo(topic);
  }

  private brokerAddr(mq: MessageQueue): Promise<string> | string {
    const instance = this.running();
    return instance.routes.findMasterAddr(mq.brokerName) ?? instance.findBrokerAddr(mq.brokerName, mq.topic);
  }

  private running(): MQClientInstance {
    if (this.state !== 'RUNNING' || this.instance === undefined) {
      throw new MQClientError(
        this.state === 'CREATED' ? 'NOT_STARTED' : 'SHUT_DOWN',
        `producer is ${this.state}`,
      );
    }
    return this.instance;
  }
}

/** Network failures and the retryable response codes; anything else is the caller's problem. */
function isRetryable(error: unknown): boolean {
  if (error instanceof RemotingConnectionError || error instanceof RemotingTimeoutError) return true;
  if (error instanceof MQBrokerError) return RETRY_RESPONSE_CODES.has(error.responseCode);
  return error instanceof MQClientError && error.reason === 'BROKER_NOT_FOUND';
}

function batchEntryProperties(message: Message, msgId: string): Record<string, string> {
  const properties: Record<string, string> = { ...message.properties };
  if (message.tags) properties[MessageConst.TAGS] = message.tags;
  const keys = joinMessageKeys(message.keys);
  if (keys) properties[MessageConst.KEYS] = keys;
  properties[MessageConst.WAIT] = 'true';
  properties[MessageConst.UNIQ_KEY] = msgId;
  return properties;
}
