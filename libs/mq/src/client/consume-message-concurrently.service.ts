/**
 * Concurrent consumption and the retry policy for failed messages (`ConsumeMessageConcurrentlyService`).
 *
 * Interview questions: "消费失败会怎么办？消息会丢失吗？" (What happens when consumption fails? Is the
 * message lost?) — no. In clustering mode a failed message (RECONSUME_LATER, a thrown error) is sent
 * back to the broker with CONSUMER_SEND_MSG_BACK and maxReconsumeTimes (16) in the header; the broker
 * stores it in %RETRY%<group> with delay level 3 + reconsumeTimes (10 s, 30 s, 1 m, 2 m … 2 h) —
 * or `context.delayLevelWhenNextConsume` — and moves it to %DLQ%<group> once the limit is reached.
 * If the broker cannot take it, the client publishes the copy to %RETRY%<group> itself (RETRY_TOPIC,
 * RECONSUME_TIME, MAX_RECONSUME_TIMES, ORIGIN_MESSAGE_ID); if that fails too it consumes it again
 * locally after 5 s. Its offset is not committed past it until one of these worked. A listener call
 * that hangs longer than consumeTimeout (15 min) has its messages sent back with delay level 3.
 * In broadcasting mode a failed message is dropped (logged). "How many messages are consumed at once?"
 * — up to `consumeConcurrency` listener calls run at the same time (Java: 20 consume threads), each
 * with up to consumeMessageBatchMaxSize (1) messages; the rest wait in a FIFO.
 */
import { type MessageModel } from '../protocol';
// Hot-path values come straight from their modules: through the '../protocol' barrel every use is a
// chain of CommonJS getters (see apps/broker/src/store/protocol.ts).
import { MessageConst } from '../protocol/message/message-const';
import { errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import { type Message, type MessageExt, type MessageQueue, type SendResult } from './message';
import { type MQClientInstance } from './mq-client-instance';
import { type OffsetStore } from './offset-store';
import { type ProcessQueue } from './process-queue';
import { RETRY_BASE_DELAY_LEVEL, buildRetryMessage } from './retry-message';

export type ConsumeConcurrentlyStatus = 'CONSUME_SUCCESS' | 'RECONSUME_LATER';

export interface ConsumeConcurrentlyContext {
  messageQueue: MessageQueue;
  /** For RECONSUME_LATER: the delay level of the retry; 0 lets the broker choose 3 + reconsumeTimes. */
  delayLevelWhenNextConsume: number;
}

/** Resolve CONSUME_SUCCESS or RECONSUME_LATER; a thrown error or rejection counts as RECONSUME_LATER. */
export type MessageListenerConcurrently = (
  messages: MessageExt[],
  context: ConsumeConcurrentlyContext,
) => Promise<ConsumeConcurrentlyStatus> | ConsumeConcurrentlyStatus;

/** Java's delay before a failed send-back is consumed again locally. */
export const LOCAL_RECONSUME_DELAY_MILLIS = 5000;
/** maxReconsumeTimes −1 means 16 for concurrent consumers. */
export const DEFAULT_MAX_RECONSUME_TIMES = 16;
/** Java's consumeTimeout: 15 minutes. */
export const DEFAULT_CONSUME_TIMEOUT_MILLIS = 15 * 60 * 1000;
/** How many of a queue's oldest messages one timeout scan looks at (Java: 16). */
const EXPIRED_SCAN_LIMIT = 16;

export interface ConsumeServiceOptions {
  group: string;
  messageModel: MessageModel;
  listener: MessageListenerConcurrently;
  consumeConcurrency: number;
  consumeMessageBatchMaxSize: number;
  maxReconsumeTimes: number;
  offsetStore: OffsetStore;
  instance: MQClientInstance;
  logger: ClientLogger;
  /** Publishes a message (the client's inner producer): the fallback when the send-back RPC fails. */
  publish?: (message: Message) => Promise<SendResult>;
  /** Delay before a message nobody could take back is consumed again locally (default 5000). */
  localReconsumeDelayMillis?: number;
  /** Messages in a listener call longer than this are sent back (default 15 min; 0 = never). */
  consumeTimeoutMillis?: number;
  /** The owned queues, for the consume-timeout scan. */
  processQueues?: () => Iterable<{ mq: MessageQueue; pq: ProcessQueue }>;
}

interface ConsumeRequest {
  messages: MessageExt[];
  pq: ProcessQueue;
  mq: MessageQueue;
}

export class ConsumeMessageConcurrentlyService {
  private readonly waiting: ConsumeRequest[] = [];
  private waitingHead = 0;
  private active = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private expiryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ConsumeServiceOptions) {}

  /** Starts the consume-timeout scan (clustering only; a broadcast message cannot be sent back). */
  start(): void {
    const timeout = this.options.consumeTimeoutMillis ?? DEFAULT_CONSUME_TIMEOUT_MILLIS;
    if (
      timeout <= 0 ||
      this.options.messageModel !== 'CLUSTERING' ||
      this.options.processQueues === undefined
    )
      return;
    // Java scans every consumeTimeout; a message may so wait up to twice the timeout.
    this.expiryTimer = setInterval(() => void this.cleanExpiredMessages(timeout), timeout);
    this.expiryTimer.unref();
  }

  /** Messages currently in a listener call or waiting for one. */
  get backlog(): number {
    return this.active + this.waiting.length - this.waitingHead;
  }

  submit(messages: MessageExt[], pq: ProcessQueue, mq: MessageQueue): void {
    const batch = this.options.consumeMessageBatchMaxSize;
    if (messages.length <= batch) {
      this.waiting.push({ messages, pq, mq });
    } else {
      for (let i = 0; i < messages.length; i += batch)
        this.waiting.push({ messages: messages.slice(i, i + batch), pq, mq });
    }
    this.pump();
  }

  /** Resolves when every submitted request has been consumed and handled (graceful shutdown). */
  whenIdle(): Promise<void> {
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the local re-consume timers; their messages stay uncommitted and come back after a restart. */
  stop(): void {
    this.stopped = true;
    if (this.expiryTimer !== undefined) clearInterval(this.expiryTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
  }

  private pump(): void {
    while (this.active < this.options.consumeConcurrency && this.waitingHead < this.waiting.length) {
      const request = this.waiting[this.waitingHead];
      this.waitingHead++;
      this.active++;
      void this.run(request);
    }
    if (this.waitingHead === this.waiting.length) {
      this.waiting.length = 0;
      this.waitingHead = 0;
    } else if (this.waitingHead > 4096) {
      this.waiting.splice(0, this.waitingHead);
      this.waitingHead = 0;
    }
  }

  private async run(request: ConsumeRequest): Promise<void> {
    const context: ConsumeConcurrentlyContext = { messageQueue: request.mq, delayLevelWhenNextConsume: 0 };
    const startedAt = String(Date.now());
    for (const message of request.messages) message.properties[MessageConst.CONSUME_START_TIME] = startedAt;
    let status: ConsumeConcurrentlyStatus;
    try {
      status = request.pq.dropped
        ? 'CONSUME_SUCCESS'
        : await this.options.listener(request.messages, context);
      if (status !== 'CONSUME_SUCCESS' && status !== 'RECONSUME_LATER') status = 'RECONSUME_LATER';
    } catch (error) {
      this.options.logger.warn(`listener of ${this.options.group} failed: ${errorMessage(error)}`);
      status = 'RECONSUME_LATER';
    }
    try {
      await this.processResult(status, request, context);
    } catch (error) {
      this.options.logger.error(`handling the consume result failed: ${errorMessage(error)}`);
    } finally {
      this.active--;
      this.pump();
      if (this.backlog === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async processResult(
    status: ConsumeConcurrentlyStatus,
    request: ConsumeRequest,
    context: ConsumeConcurrentlyContext,
  ): Promise<void> {
    const { pq, mq } = request;
    let handled = request.messages;
    let failed: MessageExt[] = [];
    if (status === 'RECONSUME_LATER' && !pq.dropped) {
      if (this.options.messageModel === 'BROADCASTING') {
        this.options.logger.warn(
          `broadcasting consumer dropped ${request.messages.length} failed message(s)`,
        );
      } else {
        failed = await this.sendBackFailed(request.messages, mq, context.delayLevelWhenNextConsume);
        if (failed.length > 0) handled = request.messages.filter((message) => !failed.includes(message));
      }
    }
    const offset = pq.removeMessages(handled);
    // A dropped queue belongs to someone else now: committing here could move their offset backwards.
    if (offset >= 0 && !pq.dropped) this.options.offsetStore.updateOffset(mq, offset, true);
    if (failed.length > 0) this.reconsumeLater(failed, pq, mq);
  }

  /** Sends each message back; returns those neither the broker nor the fallback publish took. */
  private async sendBackFailed(
    messages: MessageExt[],
    mq: MessageQueue,
    delayLevel: number,
  ): Promise<MessageExt[]> {
    const failed: MessageExt[] = [];
    for (const message of messages) {
      if (!(await this.sendMessageBack(message, mq, delayLevel))) failed.push(message);
    }
    return failed;
  }

  /**
   * CONSUMER_SEND_MSG_BACK (the broker copies the stored message, so only its commit-log offset
   * travels); if the broker refuses or cannot be reached, publish the copy to %RETRY% ourselves.
   */
  private async sendMessageBack(message: MessageExt, mq: MessageQueue, delayLevel: number): Promise<boolean> {
    const { instance, group, maxReconsumeTimes, logger } = this.options;
    try {
      const addr = await instance.findBrokerAddr(mq.brokerName, mq.topic);
      await instance.api.consumerSendMessageBack(addr, {
        offset: message.commitLogOffset,
        group,
        delayLevel,
        originMsgId: message.msgId,
        originTopic: message.topic,
        unitMode: false,
        maxReconsumeTimes,
      });
      return true;
    } catch (error) {
      logger.warn(
        `send back of ${message.msgId} failed, publishing it to the retry topic: ${errorMessage(error)}`,
      );
    }
    const publish = this.options.publish;
    if (publish === undefined) return false;
    try {
      await publish(
        buildRetryMessage(message, {
          consumerGroup: group,
          reconsumeTimes: message.reconsumeTimes + 1,
          maxReconsumeTimes,
          delayLevel: RETRY_BASE_DELAY_LEVEL + message.reconsumeTimes,
        }),
      );
      return true;
    } catch (error) {
      logger.warn(
        `publishing ${message.msgId} to the retry topic failed, consuming it again later: ${errorMessage(error)}`,
      );
      return false;
    }
  }

  /** The messages stay in the process queue (holding the offset) and are consumed again later. */
  private reconsumeLater(messages: MessageExt[], pq: ProcessQueue, mq: MessageQueue): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (pq.dropped || this.stopped) return;
      for (const message of messages) message.reconsumeTimes++;
      this.submit(messages, pq, mq);
    }, this.options.localReconsumeDelayMillis ?? LOCAL_RECONSUME_DELAY_MILLIS);
    this.retryTimers.add(timer);
  }

  /**
   * The consume timeout (Java `cleanExpireMsg`): the oldest messages of each queue whose listener call
   * started more than `timeout` ago are sent back with delay level 3 and removed, so that one stuck call
   * cannot hold the queue's offset (and, through flow control, the whole queue) forever.
   */
  private async cleanExpiredMessages(timeout: number): Promise<void> {
    const now = Date.now();
    for (const { mq, pq } of this.options.processQueues?.() ?? []) {
      if (pq.dropped || this.stopped) continue;
      for (const message of pq.oldestMessages(EXPIRED_SCAN_LIMIT)) {
        const started = Number(message.properties[MessageConst.CONSUME_START_TIME]);
        if (!started || now - started <= timeout) break;
        this.options.logger.warn(
          `${message.msgId} was consumed for more than ${timeout} ms: sending it back`,
        );
        if (!(await this.sendMessageBack(message, mq, RETRY_BASE_DELAY_LEVEL))) break;
        const offset = pq.removeMessages([message]);
        if (offset >= 0 && !pq.dropped) this.options.offsetStore.updateOffset(mq, offset, true);
      }
    }
  }
}
