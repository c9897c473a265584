/**
 * Choosing the queue a message goes to.
 *
 * Interview question: "How do you keep one order's messages in order?" — send all of them to the same
 * queue: `hashSelector(orderId)` maps a sharding key to `abs(javaStringHashCode(key) % queueCount)`, the
 * same choice a Java `SelectMessageQueueByHash` makes, so Java and TypeScript producers agree. Order
 * holds only while the queue count stays the same. Without a selector the producer round-robins over
 * the writable queues and skips brokers the latency fault tolerance is avoiding.
 */
import { javaStringHashCode } from '../protocol';
import { type LatencyFaultTolerance } from './latency-fault-tolerance';
import { type Message, type MessageQueue } from './message';

/** Picks one of `queues` (the topic's writable queues) for `message`. */
export type MessageQueueSelector = (
  queues: readonly MessageQueue[],
  message: Message,
  arg?: unknown,
) => MessageQueue;

/** Stable mapping of a sharding key to a queue (Java's SelectMessageQueueByHash). */
export function hashSelector(shardingKey: string): MessageQueueSelector {
  const hash = javaStringHashCode(shardingKey);
  return (queues) => queues[hashToIndex(hash, queues.length)];
}

/** Selects by the `arg` passed along with the message (a string is hashed, a number used as is). */
export const selectByHashArg: MessageQueueSelector = (queues, _message, arg) => {
  const value = typeof arg === 'number' ? arg | 0 : javaStringHashCode(String(arg));
  return queues[hashToIndex(value, queues.length)];
};

/** Java's `hash % size`, made non-negative with abs: equal to abs(hash) % size for every int. */
function hashToIndex(hash: number, size: number): number {
  const value = hash % size;
  return value < 0 ? -value : value;
}

/**
 * Round robin over a topic's queues, one counter per topic (Java keeps it in TopicPublishInfo), with
 * the fault strategy applied: skip a queue whose broker is being avoided, and on a retry also the
 * broker that just failed.
 */
export class RoundRobinQueueSelector {
  private readonly counters = new Map<string, number>();

  constructor(private readonly faultTolerance: LatencyFaultTolerance) {}

  select(topic: string, queues: readonly MessageQueue[], lastBrokerName?: string): MessageQueue {
    const count = queues.length;
    const start = this.next(topic);
    for (let i = 0; i < count; i++) {
      const mq = queues[(start + i) % count];
      if (mq.brokerName === lastBrokerName) continue;
      if (this.faultTolerance.isAvailable(mq.brokerName)) return mq;
    }
    return this.selectAvoidingOnly(queues, start, lastBrokerName);
  }

  /** Every broker is being avoided: take the one that recovers first, else any other than the last. */
  private selectAvoidingOnly(
    queues: readonly MessageQueue[],
    start: number,
    lastBrokerName?: string,
  ): MessageQueue {
    const names = [...new Set(queues.map((mq) => mq.brokerName))].filter((name) => name !== lastBrokerName);
    const best = this.faultTolerance.pickOneAtLeast(names);
    const count = queues.length;
    for (let i = 0; i < count; i++) {
      const mq = queues[(start + i) % count];
      if (best === undefined || mq.brokerName === best) return mq;
    }
    return queues[start % count];
  }

  private next(topic: string): number {
    const value = this.counters.get(topic) ?? Math.floor(Math.random() * 1024);
    this.counters.set(topic, (value + 1) & 0x3fffffff);
    return value;
  }
}
