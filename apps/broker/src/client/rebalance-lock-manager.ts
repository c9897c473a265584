/**
 * RebalanceLockManager: the broker-side locks of orderly consumption (RocketMQ's class of the same
 * name). Per consumer group, each queue may be locked by one client id; a lock lives
 * `rebalanceLockMaxLiveTime` (60 s) after its last lock or renewal.
 *
 * Interview question: "RocketMQ 如何实现顺序消息？对吞吐有影响吗？(How does RocketMQ implement ordered
 * messages, and does it cost throughput?)" — the producer puts related messages into one queue
 * (e.g. by hash of the order id), and an orderly consumer locks that queue here before pulling it,
 * so during a rebalance two clients never consume the same queue at once. The cost: a queue is
 * consumed by one thread of one client, so parallelism is capped by the queue count, and a stuck
 * message blocks its queue.
 *
 * Locks are not released when a client's connection closes: like RocketMQ we let them expire. A
 * client that reconnects quickly (same client id) keeps its queues; a crashed one holds them for at
 * most rebalanceLockMaxLiveTime, and clients renew every 20 s, well inside that.
 */
import type { MessageQueue } from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';

/** RocketMQ's `rocketmq.broker.rebalance.lockMaxLiveTime` default. */
export const DEFAULT_REBALANCE_LOCK_MAX_LIVE_TIME = 60_000;

export interface LockEntry {
  clientId: string;
  lastUpdateTimestamp: number;
}

export interface RebalanceLockManagerOptions {
  rebalanceLockMaxLiveTime: number;
  /** The clock; tests of expiry pass their own. */
  now?: () => number;
}

export class RebalanceLockManager {
  /** group → queue key → lock. */
  private readonly mqLockTable = new Map<string, Map<string, LockEntry>>();
  private readonly now: () => number;

  constructor(
    private readonly options: RebalanceLockManagerOptions,
    private readonly logger: BrokerLogger,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Locks (or renews) every queue that is free, expired, or already ours; returns the queues this
   * client holds afterwards. Queues held by another live client are left out, not waited for.
   */
  tryLockBatch(group: string, mqs: readonly MessageQueue[], clientId: string): MessageQueue[] {
    const locks = this.groupLocks(group);
    const now = this.now();
    const granted: MessageQueue[] = [];
    for (const mq of mqs) {
      if (this.tryLock(locks, mq, clientId, now, group)) granted.push(mq);
    }
    return granted;
  }

  private tryLock(
    locks: Map<string, LockEntry>,
    mq: MessageQueue,
    clientId: string,
    now: number,
    group: string,
  ): boolean {
    const key = queueKey(mq);
    const entry = locks.get(key);
    if (!entry) {
      locks.set(key, { clientId, lastUpdateTimestamp: now });
      this.logger.info('queue lock granted', { group, clientId, ...mq });
      return true;
    }
    if (entry.clientId === clientId) {
      entry.lastUpdateTimestamp = now;
      return true;
    }
    if (!this.isExpired(entry, now)) return false;
    this.logger.warn('queue lock taken over: the previous owner let it expire', {
      group,
      clientId,
      previousOwner: entry.clientId,
      ...mq,
    });
    locks.set(key, { clientId, lastUpdateTimestamp: now });
    return true;
  }

  /** Releases the client's own locks among `mqs`; someone else's lock is left alone. */
  unlockBatch(group: string, mqs: readonly MessageQueue[], clientId: string): void {
    const locks = this.mqLockTable.get(group);
    if (!locks) return;
    for (const mq of mqs) {
      const key = queueKey(mq);
      const entry = locks.get(key);
      if (!entry) continue;
      if (entry.clientId !== clientId) {
        this.logger.warn('queue unlock ignored: the lock belongs to another client', {
          group,
          clientId,
          owner: entry.clientId,
          ...mq,
        });
        continue;
      }
      locks.delete(key);
      this.logger.info('queue lock released', { group, clientId, ...mq });
    }
    if (locks.size === 0) this.mqLockTable.delete(group);
  }

  /** True when `clientId` holds a live lock on `mq`. */
  isLocked(group: string, mq: MessageQueue, clientId: string): boolean {
    const entry = this.mqLockTable.get(group)?.get(queueKey(mq));
    return entry !== undefined && entry.clientId === clientId && !this.isExpired(entry, this.now());
  }

  /** Live locks of a group (queue key → owner), for the console. */
  lockedQueues(group: string): Map<string, LockEntry> {
    const now = this.now();
    const live = new Map<string, LockEntry>();
    for (const [key, entry] of this.mqLockTable.get(group) ?? []) {
      if (!this.isExpired(entry, now)) live.set(key, { ...entry });
    }
    return live;
  }

  private isExpired(entry: LockEntry, now: number): boolean {
    return now - entry.lastUpdateTimestamp > this.options.rebalanceLockMaxLiveTime;
  }

  private groupLocks(group: string): Map<string, LockEntry> {
    let locks = this.mqLockTable.get(group);
    if (!locks) {
      locks = new Map();
      this.mqLockTable.set(group, locks);
    }
    return locks;
  }
}

/** A MessageQueue's identity, in RocketMQ's equals order: topic, broker name, queue id. */
export function queueKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}
