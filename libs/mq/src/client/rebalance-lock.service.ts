/**
 * The client half of queue locks for orderly consumption (`RebalanceImpl.lock/lockAll/unlock`):
 * LOCK_BATCH_MQ before a new queue is pulled, renewal of every held lock every 20 s, UNLOCK_BATCH_MQ
 * when a queue is given up and at shutdown.
 *
 * Interview question: "顺序消息是如何实现的？有没有副作用？" (How are ordered messages implemented? Any
 * side effects?) — the producer puts one order's messages into one queue (hash selector); the consumer
 * must then make sure that only ONE consumer of the group reads that queue at a time, even while a
 * rebalance moves it: the broker's lock (per group and queue, expiring 60 s after the last renewal)
 * decides. A consumer pulls and consumes a queue only while it holds the lock, renews it every 20 s,
 * treats its own lock as stale after 30 s without renewal (before the broker's 60 s, so two clients
 * never both believe they own it), and gives it back only after its last listener call on that queue
 * ended and its offset was persisted. Side effects: a failing message blocks its whole queue (order!),
 * and a queue changes owner only at the next rebalance after the lock is free — slower fail-over.
 */
import { errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import { type MessageQueue, messageQueueKey } from './message';
import { type MQClientInstance } from './mq-client-instance';
import { type ProcessQueue } from './process-queue';

/** `rocketmq.client.rebalance.lockInterval`: how often held locks are renewed. */
export const REBALANCE_LOCK_INTERVAL_MILLIS = 20_000;
/** `rocketmq.client.rebalance.lockMaxLiveTime`: our own lock is stale after this long without renewal. */
export const REBALANCE_LOCK_MAX_LIVE_TIME_MILLIS = 30_000;
/** The first renewal runs this soon after start. */
const FIRST_LOCK_ALL_DELAY_MILLIS = 1000;

export interface RebalanceLockOptions {
  group: string;
  instance: MQClientInstance;
  logger: ClientLogger;
  lockIntervalMillis: number;
  /** The queues this consumer owns now (their process queues record the lock state). */
  ownedQueues(): Iterable<{ mq: MessageQueue; pq: ProcessQueue }>;
}

export class RebalanceLockService {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: RebalanceLockOptions) {}

  start(): void {
    const schedule = (delay: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        void this.lockAll().finally(() => schedule(this.options.lockIntervalMillis));
      }, delay);
      this.timer.unref();
    };
    schedule(FIRST_LOCK_ALL_DELAY_MILLIS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** LOCK_BATCH_MQ for one queue; true when the broker granted it (it is then marked on `pq`). */
  async lock(mq: MessageQueue, pq?: ProcessQueue): Promise<boolean> {
    try {
      const granted = await this.lockOnBroker(mq.brokerName, mq.topic, [mq]);
      const ok = granted.has(messageQueueKey(mq));
      if (ok && pq !== undefined) {
        pq.locked = true;
        pq.lastLockTimestamp = Date.now();
      }
      return ok;
    } catch (error) {
      this.options.logger.warn(`lock of ${messageQueueKey(mq)} failed: ${errorMessage(error)}`);
      return false;
    }
  }

  /**
   * Renews every held lock, one LOCK_BATCH_MQ per broker. A queue the broker no longer grants stops
   * being consumed (its pull loop and listener wait) until a later renewal or rebalance gets it back.
   */
  async lockAll(): Promise<void> {
    const byBroker = new Map<string, { mq: MessageQueue; pq: ProcessQueue }[]>();
    for (const owned of this.options.ownedQueues()) {
      const list = byBroker.get(owned.mq.brokerName) ?? [];
      list.push(owned);
      byBroker.set(owned.mq.brokerName, list);
    }
    await Promise.all(
      [...byBroker].map(async ([brokerName, owned]) => {
        let granted: Set<string>;
        try {
          granted = await this.lockOnBroker(
            brokerName,
            owned[0].mq.topic,
            owned.map((entry) => entry.mq),
          );
        } catch (error) {
          // Keep the current state: a lock we hold stays valid on the broker until it expires, and our
          // own staleness check (lockMaxLiveTime) stops consumption before that.
          this.options.logger.warn(`renewing locks on ${brokerName} failed: ${errorMessage(error)}`);
          return;
        }
        const now = Date.now();
        for (const { mq, pq } of owned) {
          if (granted.has(messageQueueKey(mq))) {
            pq.locked = true;
            pq.lastLockTimestamp = now;
          } else if (pq.locked) {
            this.options.logger.warn(`lost the lock of ${messageQueueKey(mq)}`);
            pq.locked = false;
          }
        }
      }),
    );
  }

  /** UNLOCK_BATCH_MQ for queues this consumer gave up; `wait` for the broker's answer (shutdown). */
  async unlock(mqs: readonly MessageQueue[], wait = false): Promise<void> {
    const { instance, group, logger } = this.options;
    const byBroker = new Map<string, MessageQueue[]>();
    for (const mq of mqs) byBroker.set(mq.brokerName, [...(byBroker.get(mq.brokerName) ?? []), mq]);
    await Promise.all(
      [...byBroker].map(async ([brokerName, queues]) => {
        try {
          const addr = await instance.findBrokerAddr(brokerName, queues[0].topic);
          const body = { consumerGroup: group, clientId: instance.clientId, mqSet: queues };
          if (wait) await instance.api.unlockBatchMQ(addr, body);
          else await instance.api.unlockBatchMQOneway(addr, body);
        } catch (error) {
          // The broker lets the lock expire (60 s) instead.
          logger.warn(`unlock on ${brokerName} failed: ${errorMessage(error)}`);
        }
      }),
    );
  }

  private async lockOnBroker(brokerName: string, topic: string, mqs: MessageQueue[]): Promise<Set<string>> {
    const { instance, group } = this.options;
    const addr = await instance.findBrokerAddr(brokerName, topic);
    const granted = await instance.api.lockBatchMQ(addr, {
      consumerGroup: group,
      clientId: instance.clientId,
      mqSet: mqs,
    });
    return new Set(granted.map(messageQueueKey));
  }
}
