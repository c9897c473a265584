/**
 * QueueLockProcessor: LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42), the orderly consumer's requests
 * (in RocketMQ they live in `AdminBrokerProcessor`).
 *
 *   request  {"consumerGroup":"g","clientId":"cid","mqSet":[{"topic":"t","brokerName":"b","queueId":0}]}
 *   LOCK     → SUCCESS {"lockOKMQSet":[...queues this client now holds...]}
 *   UNLOCK   → SUCCESS, no body (and nothing at all when the client sent it oneway)
 *
 * Interview question: "RocketMQ 如何实现顺序消息？(How does RocketMQ implement ordered messages?)" — an
 * orderly consumer asks this broker for the queues it was assigned, pulls only those it was granted,
 * and renews them every 20 s; see rebalance-lock-manager.ts.
 */
import {
  createResponse,
  decodeJsonBody,
  encodeJsonBody,
  type LockBatchRequestBody,
  type LockBatchResponseBody,
  type MessageQueue,
  type RemotingCommand,
  RequestCode,
  ResponseCode,
} from '@flashsale/mq/protocol';
import type { RebalanceLockManager } from '../client/rebalance-lock-manager';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';

export class QueueLockProcessor implements RequestProcessor {
  constructor(private readonly locks: RebalanceLockManager) {}

  processRequest(_channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const body = parseLockBatchBody(request.body);
    if (typeof body === 'string')
      return createResponse(request, ResponseCode.SYSTEM_ERROR, {}, undefined, body);
    if (request.code === RequestCode.UNLOCK_BATCH_MQ) {
      this.locks.unlockBatch(body.consumerGroup, body.mqSet, body.clientId);
      return createResponse(request, ResponseCode.SUCCESS);
    }
    const lockOKMQSet = this.locks.tryLockBatch(body.consumerGroup, body.mqSet, body.clientId);
    const response: LockBatchResponseBody = { lockOKMQSet };
    return createResponse(request, ResponseCode.SUCCESS, {}, encodeJsonBody(response));
  }
}

/** The request body, or the remark explaining why it is unusable. */
export function parseLockBatchBody(raw: Buffer | undefined): LockBatchRequestBody | string {
  let body: Partial<LockBatchRequestBody>;
  try {
    body = decodeJsonBody<Partial<LockBatchRequestBody>>(raw);
  } catch (err) {
    return `malformed lock batch body: ${(err as Error).message}`;
  }
  if (typeof body?.consumerGroup !== 'string' || body.consumerGroup === '') return 'consumerGroup is missing';
  if (typeof body.clientId !== 'string' || body.clientId === '') return 'clientId is missing';
  if (!Array.isArray(body.mqSet)) return 'mqSet is missing';
  const mqSet: MessageQueue[] = [];
  for (const mq of body.mqSet as unknown[]) {
    if (!isMessageQueue(mq)) return `not a message queue: ${JSON.stringify(mq)}`;
    mqSet.push({ topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId });
  }
  return { consumerGroup: body.consumerGroup, clientId: body.clientId, mqSet };
}

function isMessageQueue(value: unknown): value is MessageQueue {
  const mq = value as Partial<MessageQueue> | null;
  return (
    typeof mq === 'object' &&
    mq !== null &&
    typeof mq.topic === 'string' &&
    typeof mq.brokerName === 'string' &&
    Number.isInteger(mq.queueId)
  );
}
