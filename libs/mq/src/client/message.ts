/**
 * The application-facing message types: what a producer sends (Message), where it goes (MessageQueue),
 * what the broker answers (SendResult) and what a consumer receives (MessageExt).
 */
import { type MessageQueue, type MessageRecord } from '../protocol';

export type { MessageQueue } from '../protocol';

export interface Message {
  topic: string;
  body: Buffer | string;
  /** One tag; consumers filter on it (`'TagA || TagB'`). */
  tags?: string;
  /** Business keys, indexed by the broker for QUERY_MESSAGE; joined with a space on the wire. */
  keys?: string | string[];
  /** User properties; names must not contain the separator characters \u0001 / \u0002. */
  properties?: Record<string, string>;
  /** 1..18 → 1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h. */
  delayTimeLevel?: number;
  /** The user flag, stored as-is. */
  flag?: number;
  /**
   * Timer message (RocketMQ 5.x): deliver at this epoch millisecond (TIMER_DELIVER_MS). The broker
   * rounds it down to its wheel precision (1 s by default). A delayTimeLevel wins over it.
   */
  deliverTimeMs?: number;
  /** Timer message (RocketMQ 5.x): deliver this many ms after the broker stores it (TIMER_DELAY_MS). */
  delayTimeMs?: number;
}

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

export interface SendResult {
  sendStatus: SendStatus;
  /** The client-generated UNIQ_KEY (comma-joined for a batch): "the" message id users see. */
  msgId: string;
  /** The broker's offset message id (store host + commit-log offset), comma-joined for a batch. */
  offsetMsgId: string;
  messageQueue: MessageQueue;
  /** Queue offset of the (first) stored message. */
  queueOffset: number;
  regionId: string;
  traceOn: boolean;
}

/** A consumed message: the stored record plus the fields applications usually want. */
export interface MessageExt extends MessageRecord {
  /** Body as the producer sent it (decompressed). */
  body: Buffer;
  tags: string | undefined;
  keys: string[];
  /** UNIQ_KEY when the producer set one, else the offset message id. */
  msgId: string;
  offsetMsgId: string;
  brokerName: string;
}

/** Stable map key of a queue; brokerName and topic cannot contain '@'... in practice, so it is unique. */
export function messageQueueKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}

/** RocketMQ's MessageQueue order: topic, then brokerName, then queueId. */
export function compareMessageQueues(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}
