/**
 * LOCK_BATCH_MQ (41) / UNLOCK_BATCH_MQ (42) bodies.
 *
 * Interview question: "How does RocketMQ guarantee order?" — one queue holds the ordered messages and
 * an orderly consumer locks that queue on the broker, so only one client in the group consumes it.
 */

export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

export interface LockBatchRequestBody {
  consumerGroup: string;
  clientId: string;
  mqSet: MessageQueue[];
  /** [5.x] field; a 4.x broker ignores it. */
  onlyThisBroker?: boolean;
}

export interface LockBatchResponseBody {
  /** The queues that are now locked by the requesting client. */
  lockOKMQSet: MessageQueue[];
}

export type UnlockBatchRequestBody = LockBatchRequestBody;
