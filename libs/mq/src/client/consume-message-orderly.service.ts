/**
 * Orderly consumption (`ConsumeMessageOrderlyService`): each queue is consumed by one listener call at
 * a time, in offset order, only while this client holds the queue's broker lock; a failure suspends the
 * queue and retries the same messages in place.
 *
 * Interview questions: "RocketMQ 如何实现顺序消息？对吞吐有影响吗？" (How does RocketMQ implement ordered
 * messages? Does it cost throughput?) — per queue, not per topic: the producer hashes the sharding key
 * (order id) to a queue, and this service never has two calls for one queue in flight, so one order's
 * changes are applied in the order sent. The cost: parallelism is at most the number of queues, and a
 * failing message blocks everything behind it in its queue. "顺序消费失败怎么办？" (What if an ordered
 * message fails?) — SUSPEND_CURRENT_QUEUE_A_MOMENT (or a thrown error): the queue pauses
 * `suspendCurrentQueueTimeMillis` (1 s) and the same batch is consumed again with reconsumeTimes + 1 —
 * locally, no broker round trip, because going through %RETRY% would let later messages overtake it.
 * After `maxReconsumeTimes` (default unlimited, as in Java) the message is published to %RETRY% with
 * RECONSUME_TIME = MAX_RECONSUME_TIMES, which the broker routes straight to %DLQ%<group>, and the queue
 * moves on. Offsets are committed only past messages whose call succeeded (or that went to the DLQ).
 */
import { MessageConst, type MessageModel } from '../protocol';
import { errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import {
  type Message,
  type MessageExt,
  type MessageQueue,
  type SendResult,
  messageQueueKey,
} from './message';
import { type OffsetStore } from './offset-store';
import { type ProcessQueue } from './process-queue';
import { RETRY_BASE_DELAY_LEVEL, buildRetryMessage } from './retry-message';
import { REBALANCE_LOCK_MAX_LIVE_TIME_MILLIS } from './rebalance-lock.service';

export type ConsumeOrderlyStatus = 'SUCCESS' | 'SUSPEND_CURRENT_QUEUE_A_MOMENT';

export interface ConsumeOrderlyContext {
  messageQueue: MessageQueue;
  /** How long the queue pauses after SUSPEND_CURRENT_QUEUE_A_MOMENT; the listener may change it. */
  suspendCurrentQueueTimeMillis: number;
}

/** Resolve SUCCESS or SUSPEND_CURRENT_QUEUE_A_MOMENT; a thrown error or rejection counts as a suspend. */
export type MessageListenerOrderly = (
  messages: MessageExt[],
  context: ConsumeOrderlyContext,
) => Promise<ConsumeOrderlyStatus> | ConsumeOrderlyStatus;

/** Java's `suspendCurrentQueueTimeMillis`. */
export const SUSPEND_CURRENT_QUEUE_TIME_MILLIS = 1000;
/** Java's maxReconsumeTimes −1 for orderly consumers: Integer.MAX_VALUE, i.e. retry forever. */
export const DEFAULT_ORDERLY_MAX_RECONSUME_TIMES = 2_147_483_647;
/** `rocketmq.client.maxTimeConsumeContinuously`: one queue's run yields after this long. */
export const MAX_TIME_CONSUME_CONTINUOUSLY_MILLIS = 60_000;
/** Retry delays when the lock is missing (Java `tryLockLaterAndReconsume`). */
const RECONSUME_AFTER_LOCK_MILLIS = 10;
const RETRY_LOCK_LATER_MILLIS = 3000;

export interface ConsumeOrderlyServiceOptions {
  group: string;
  messageModel: MessageModel;
  listener: MessageListenerOrderly;
  consumeMessageBatchMaxSize: number;
  maxReconsumeTimes: number;
  suspendCurrentQueueTimeMillis: number;
  maxTimeConsumeContinuouslyMillis?: number;
  /** Our own lock counts as stale after this long without renewal (default 30 s). */
  lockMaxLiveTimeMillis?: number;
  offsetStore: OffsetStore;
  logger: ClientLogger;
  /** LOCK_BATCH_MQ for one queue (clustering): used when consumption finds the lock missing. */
  lockQueue(mq: MessageQueue, pq: ProcessQueue): Promise<boolean>;
  /** Publishes to %RETRY% (the client's inner producer): where exhausted messages go, toward the DLQ. */
  publish(message: Message): Promise<SendResult>;
}

type QueueState = { kind: 'RUNNING'; done: Promise<void> } | { kind: 'WAITING'; timer: NodeJS.Timeout };

export class ConsumeMessageOrderlyService {
  /** Queues with a run in progress or scheduled: no second run may start for them. */
  private readonly queues = new Map<ProcessQueue, QueueState>();
  private stopped = false;

  constructor(private readonly options: ConsumeOrderlyServiceOptions) {}

  start(): void {
    // Nothing periodic: lock renewal belongs to RebalanceLockService.
  }

  /** New messages were put in `pq`: start its run unless one is running or scheduled (e.g. suspended). */
  submit(_messages: MessageExt[], pq: ProcessQueue, mq: MessageQueue): void {
    if (!this.queues.has(pq)) this.run(pq, mq);
  }

  /** Resolves when no queue's listener call is in progress. */
  async whenIdle(): Promise<void> {
    for (;;) {
      const running = [...this.queues.values()].flatMap((state) =>
        state.kind === 'RUNNING' ? [state.done] : [],
      );
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Resolves when `pq` has no listener call in progress (before its offset is persisted and its lock released). */
  whenQueueIdle(pq: ProcessQueue): Promise<void> {
    const state = this.queues.get(pq);
    return state?.kind === 'RUNNING' ? state.done : Promise.resolve();
  }

  /** No new listener calls; the ones in progress finish (await whenIdle), scheduled ones are cancelled. */
  stop(): void {
    this.stopped = true;
    for (const [pq, state] of this.queues) {
      if (state.kind === 'WAITING') {
        clearTimeout(state.timer);
        this.queues.delete(pq);
      }
    }
  }

  private run(pq: ProcessQueue, mq: MessageQueue): void {
    if (this.stopped || pq.dropped) return;
    const state: QueueState = { kind: 'RUNNING', done: Promise.resolve() };
    this.queues.set(pq, state);
    state.done = this.consumeQueue(pq, mq)
      .catch((error: unknown) => {
        this.options.logger.error(
          `orderly consumption of ${messageQueueKey(mq)} failed: ${errorMessage(error)}`,
        );
      })
      .finally(() => {
        if (this.queues.get(pq) === state) this.queues.delete(pq);
      });
  }

  /** Runs `pq` again after `delay` ms; until then new messages do not start it. */
  private runLater(pq: ProcessQueue, mq: MessageQueue, delay: number): void {
    if (this.stopped || pq.dropped) {
      this.queues.delete(pq);
      return;
    }
    const timer = setTimeout(() => {
      if (this.queues.get(pq)?.kind === 'WAITING') this.queues.delete(pq);
      this.run(pq, mq);
    }, delay);
    this.queues.set(pq, { kind: 'WAITING', timer });
  }

  private holdsLock(pq: ProcessQueue): boolean {
    if (this.options.messageModel === 'BROADCASTING') return true;
    const maxLive = this.options.lockMaxLiveTimeMillis ?? REBALANCE_LOCK_MAX_LIVE_TIME_MILLIS;
    return pq.locked && !pq.isLockExpired(maxLive);
  }

  /** Consumes `pq` batch by batch until it is empty, suspended, unlocked, dropped or has run too long. */
  private async consumeQueue(pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    const { options } = this;
    const begin = Date.now();
    const maxContinuously = options.maxTimeConsumeContinuouslyMillis ?? MAX_TIME_CONSUME_CONTINUOUSLY_MILLIS;
    for (;;) {
      if (pq.dropped || this.stopped) return;
      if (!this.holdsLock(pq)) {
        await this.tryLockLater(pq, mq);
        return;
      }
      if (Date.now() - begin > maxContinuously) {
        // Let the other queues' timers and pulls run; Java yields the consume thread the same way.
        this.runLater(pq, mq, RECONSUME_AFTER_LOCK_MILLIS);
        return;
      }
      const messages = pq.takeMessages(options.consumeMessageBatchMaxSize);
      if (messages.length === 0) return;
      const context: ConsumeOrderlyContext = {
        messageQueue: mq,
        suspendCurrentQueueTimeMillis: options.suspendCurrentQueueTimeMillis,
      };
      const startedAt = String(Date.now());
      for (const message of messages) message.properties[MessageConst.CONSUME_START_TIME] = startedAt;
      let status: ConsumeOrderlyStatus;
      try {
        status = await options.listener(messages, context);
        if (status !== 'SUCCESS' && status !== 'SUSPEND_CURRENT_QUEUE_A_MOMENT')
          status = 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
      } catch (error) {
        options.logger.warn(`orderly listener of ${options.group} failed: ${errorMessage(error)}`);
        status = 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
      }
      // Still ours even if a rebalance dropped the queue meanwhile: the lock is released only after this
      // run ends and the offset below is persisted, so nobody else has consumed these messages.
      if (status === 'SUSPEND_CURRENT_QUEUE_A_MOMENT' && (await this.suspendOrGiveUp(messages))) {
        pq.makeMessagesToConsumeAgain(messages);
        this.runLater(pq, mq, Math.max(context.suspendCurrentQueueTimeMillis, 10));
        return;
      }
      const offset = pq.commit();
      if (offset >= 0) options.offsetStore.updateOffset(mq, offset, false);
    }
  }

  /**
   * Java `checkReconsumeTimes`: true = suspend and consume the batch again (reconsumeTimes + 1);
   * false = every message exhausted its retries and is now on its way to the DLQ, so move on.
   */
  private async suspendOrGiveUp(messages: MessageExt[]): Promise<boolean> {
    const { maxReconsumeTimes } = this.options;
    let suspend = false;
    for (const message of messages) {
      if (message.reconsumeTimes >= maxReconsumeTimes && (await this.sendToDeadLetter(message))) continue;
      suspend = true;
      message.reconsumeTimes++;
    }
    return suspend;
  }

  /** Publishes to %RETRY% with RECONSUME_TIME = MAX_RECONSUME_TIMES, so the broker stores it in the DLQ. */
  private async sendToDeadLetter(message: MessageExt): Promise<boolean> {
    const { group, maxReconsumeTimes, logger } = this.options;
    try {
      await this.options.publish(
        buildRetryMessage(message, {
          consumerGroup: group,
          reconsumeTimes: message.reconsumeTimes,
          maxReconsumeTimes,
          delayLevel: RETRY_BASE_DELAY_LEVEL + message.reconsumeTimes,
        }),
      );
      logger.warn(`${message.msgId} failed ${message.reconsumeTimes} times in order: sent toward the DLQ`);
      return true;
    } catch (error) {
      logger.warn(
        `sending ${message.msgId} toward the DLQ failed, retrying it in place: ${errorMessage(error)}`,
      );
      return false;
    }
  }

  /** Java `tryLockLaterAndReconsume`: lock the queue, then consume soon, or try again in 3 s. */
  private async tryLockLater(pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    const locked = await this.options.lockQueue(mq, pq);
    this.runLater(pq, mq, locked ? RECONSUME_AFTER_LOCK_MILLIS : RETRY_LOCK_LATER_MILLIS);
  }
}
