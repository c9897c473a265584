/**
 * Raw-protocol helpers for the delay, timer and retry tests: pull one queue (optionally long-polling
 * until something arrives), read a queue's max offset, send a message back, poll until a condition
 * holds. Everything goes over a real RemotingConnection.
 */
import {
  type MessageRecord,
  PullSysFlag,
  type RemotingCommand,
  type RemotingConnection,
  RequestCode,
  ResponseCode,
  createRequest,
  decodeStoredMessage,
  toExtFields,
} from '@flashsale/mq/protocol';
import { TIMEOUT } from './broker-client';
import { sleep } from '@flashsale/testing';

export interface PullOptions {
  group?: string;
  queueId?: number;
  offset?: number;
  /** Long-poll: let the broker hold the request up to this long waiting for a message. */
  suspendMillis?: number;
}

export interface PullResult {
  code: number;
  remark: string | undefined;
  messages: MessageRecord[];
  nextBeginOffset: number;
}

export async function pull(
  connection: RemotingConnection,
  topic: string,
  options: PullOptions = {},
): Promise<PullResult> {
  const suspend = options.suspendMillis !== undefined;
  const header = {
    consumerGroup: options.group ?? 'schedule-test-reader',
    topic,
    queueId: options.queueId ?? 0,
    queueOffset: options.offset ?? 0,
    maxMsgNums: 32,
    sysFlag: PullSysFlag.SUBSCRIPTION | (suspend ? PullSysFlag.SUSPEND : 0),
    commitOffset: 0,
    suspendTimeoutMillis: options.suspendMillis ?? 0,
    subscription: '*',
    subVersion: 0,
  };
  const response = await connection.invoke(
    createRequest(RequestCode.PULL_MESSAGE, toExtFields(header)),
    (options.suspendMillis ?? 0) + TIMEOUT,
  );
  return {
    code: response.code,
    remark: response.remark,
    messages: response.code === ResponseCode.SUCCESS ? decodeRecords(response.body) : [],
    nextBeginOffset: Number(response.extFields?.nextBeginOffset ?? -1),
  };
}

export function decodeRecords(body: Buffer | undefined): MessageRecord[] {
  const messages: MessageRecord[] = [];
  let offset = 0;
  while (body && offset < body.length) {
    const decoded = decodeStoredMessage(body, offset, { checkCRC: true });
    if (decoded.status !== 'OK') throw new Error(`record does not decode at ${offset}: ${decoded.status}`);
    messages.push(decoded.message);
    offset += decoded.size;
  }
  return messages;
}

/**
 * Long-polls `topic`/`queueId` from `offset` until a message arrives; returns it with the client time
 * the pull answered.
 */
export async function awaitMessage(
  connection: RemotingConnection,
  topic: string,
  options: PullOptions & { deadlineMillis: number },
): Promise<{ message: MessageRecord; receivedAt: number }> {
  const deadline = Date.now() + options.deadlineMillis;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`nothing arrived in ${topic}:${options.queueId ?? 0} in time`);
    const result = await pull(connection, topic, { ...options, suspendMillis: Math.min(left, 5000) });
    if (result.messages.length > 0) return { message: result.messages[0], receivedAt: Date.now() };
    if (result.code !== ResponseCode.PULL_NOT_FOUND && result.code !== ResponseCode.PULL_RETRY_IMMEDIATELY) {
      // The queue may not exist yet (TOPIC_NOT_EXIST, offset moved...): look again shortly.
      await sleep(20);
    }
  }
}

export async function maxOffset(
  connection: RemotingConnection,
  topic: string,
  queueId: number,
): Promise<number> {
  const response = await connection.invoke(
    createRequest(RequestCode.GET_MAX_OFFSET, toExtFields({ topic, queueId })),
    TIMEOUT,
  );
  return response.code === ResponseCode.SUCCESS ? Number(response.extFields.offset) : 0;
}

export interface SendBackFields {
  offset: number;
  group: string;
  delayLevel?: number;
  originMsgId?: string;
  originTopic?: string;
  maxReconsumeTimes?: number;
}

export function sendBack(connection: RemotingConnection, fields: SendBackFields): Promise<RemotingCommand> {
  const header = { delayLevel: 0, unitMode: false, ...fields };
  return connection.invoke(createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, toExtFields(header)), TIMEOUT);
}

export { sleep };
