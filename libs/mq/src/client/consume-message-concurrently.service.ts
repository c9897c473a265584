/**
 * Concurrent consumption and the retry policy for failed messages (`ConsumeMessageConcurrentlyService`).
 *
 * Interview questions: "What happens when a consumer fails a message?" — in clustering mode it is sent
 * back to the broker (CONSUMER_SEND_MSG_BACK), which stores it in %RETRY%<group> with a growing delay
 * and moves it to %DLQ%<group> after maxReconsumeTimes (16); if even that fails the client consumes it
 * again itself after 5 s. Its offset is not committed past it until it is handled, so nothing is lost.
 * In broadcasting mode a failed message is dropped (logged). "How many messages are consumed at once?"
 * — up to `consumeConcurrency` listener calls run at the same time (Java: 20 consume threads), each
 * with up to consumeMessageBatchMaxSize (1) messages; the rest wait in a FIFO.
 */
import { errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import { type MessageExt, type MessageQueue } from './message';
import { type MQClientInstance } from './mq-client-instance';
import { type OffsetStore } from './offset-store';
import { type ProcessQueue } from './process-queue';
import { type MessageModel } from '../protocol';

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
  private stopped = false;

  constructor(private readonly options: ConsumeServiceOptions) {}

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

  /** CONSUMER_SEND_MSG_BACK for each message; returns those the broker did not take. */
  private async sendBackFailed(
    messages: MessageExt[],
    mq: MessageQueue,
    delayLevel: number,
  ): Promise<MessageExt[]> {
    const { instance, group, maxReconsumeTimes } = this.options;
    const failed: MessageExt[] = [];
    for (const message of messages) {
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
      } catch (error) {
        this.options.logger.warn(
          `send back of ${message.msgId} failed, consuming it again in 5 s: ${errorMessage(error)}`,
        );
        failed.push(message);
      }
    }
    return failed;
  }

  /** The messages stay in the process queue (holding the offset) and are consumed again later. */
  private reconsumeLater(messages: MessageExt[], pq: ProcessQueue, mq: MessageQueue): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (pq.dropped || this.stopped) return;
      for (const message of messages) message.reconsumeTimes++;
      this.submit(messages, pq, mq);
    }, LOCAL_RECONSUME_DELAY_MILLIS);
    this.retryTimers.add(timer);
  }
}
