/**
 * Raw-protocol helpers for the transaction and queue-lock tests: what a transactional producer and
 * an orderly consumer put on the wire, written out by hand (no client library), plus a plain pull.
 */
import {
  decodeOffsetMessageId,
  decodeStoredMessages,
  encodeProperties,
  type EndTransactionRequestHeader,
  type MessageRecord,
  MessageSysFlag,
  type PullMessageRequestHeader,
  PullSysFlag,
  type RemotingCommand,
  type RemotingConnection,
  RequestCode,
  ResponseCode,
  createRequest,
  toExtFields,
} from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../../src/broker-logger';
import { TIMEOUT, heartbeat, sendHeader, sendMessage } from './broker-client';
import { sleep } from '@flashsale/testing';

export interface HalfMessageSent {
  response: RemotingCommand;
  uniqKey: string;
  /** The half message's queue offset (END_TRANSACTION's tranStateTableOffset). */
  tranStateTableOffset: number;
  commitLogOffset: number;
}

let uniqCounter = 0;

/** A transactional send: TRAN_MSG=true, PGROUP and the PREPARED sysFlag, as a Java producer sends it. */
export async function sendHalfMessage(
  connection: RemotingConnection,
  producerGroup: string,
  topic: string,
  queueId: number,
  body: string,
  extraProperties: Record<string, string> = {},
): Promise<HalfMessageSent> {
  uniqCounter++;
  const uniqKey = `7F00000100002A9F0000TX${String(uniqCounter).padStart(10, '0')}`;
  const header = sendHeader(topic, {
    producerGroup,
    queueId,
    sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE,
    properties: encodeProperties({
      TAGS: 'TagTx',
      KEYS: `order-${uniqCounter}`,
      UNIQ_KEY: uniqKey,
      TRAN_MSG: 'true',
      PGROUP: producerGroup,
      WAIT: 'true',
      ...extraProperties,
    }),
  });
  const response = await sendMessage(connection, header, Buffer.from(body));
  if (response.code !== ResponseCode.SUCCESS) {
    throw new Error(`half message refused: ${response.code} ${response.remark}`);
  }
  return {
    response,
    uniqKey,
    tranStateTableOffset: Number(response.extFields.queueOffset),
    commitLogOffset: decodeOffsetMessageId(response.extFields.msgId).commitLogOffset,
  };
}

export function endTransactionHeader(
  producerGroup: string,
  sent: Pick<HalfMessageSent, 'uniqKey' | 'tranStateTableOffset' | 'commitLogOffset'>,
  commitOrRollback: number,
  fromTransactionCheck = false,
): EndTransactionRequestHeader {
  return {
    producerGroup,
    tranStateTableOffset: sent.tranStateTableOffset,
    commitLogOffset: sent.commitLogOffset,
    commitOrRollback,
    fromTransactionCheck,
    msgId: sent.uniqKey,
    transactionId: sent.uniqKey,
  };
}

/** END_TRANSACTION as producers send it: oneway, nothing comes back. */
export function endTransactionOneway(
  connection: RemotingConnection,
  header: EndTransactionRequestHeader,
): void {
  connection.invokeOneway(createRequest(RequestCode.END_TRANSACTION, toExtFields(header)));
}

/** END_TRANSACTION as a two-way call, to see the broker's verdict. */
export function endTransaction(
  connection: RemotingConnection,
  header: EndTransactionRequestHeader,
  timeoutMillis = TIMEOUT,
): Promise<RemotingCommand> {
  return connection.invoke(createRequest(RequestCode.END_TRANSACTION, toExtFields(header)), timeoutMillis);
}

export function producerHeartbeat(
  connection: RemotingConnection,
  clientID: string,
  group: string,
): Promise<RemotingCommand> {
  return heartbeat(connection, { clientID, producerDataSet: [{ groupName: group }], consumerDataSet: [] });
}

/** Every message of one queue from offset 0 (a plain pull: no suspend, subscription '*'). */
export async function pullAll(
  connection: RemotingConnection,
  topic: string,
  queueId: number,
): Promise<MessageRecord[]> {
  const header: PullMessageRequestHeader = {
    consumerGroup: 'tx-test-reader',
    topic,
    queueId,
    queueOffset: 0,
    maxMsgNums: 32,
    sysFlag: PullSysFlag.SUBSCRIPTION,
    commitOffset: 0,
    suspendTimeoutMillis: 0,
    subscription: '*',
    subVersion: 0,
  };
  const response = await connection.invoke(
    createRequest(RequestCode.PULL_MESSAGE, toExtFields(header)),
    TIMEOUT,
  );
  if (response.code !== ResponseCode.SUCCESS) return [];
  return decodeStoredMessages(response.body ?? Buffer.alloc(0));
}

/** Messages of a queue carrying `uniqKey`, polled until `until` holds or the time is up. */
export async function pullByKey(
  connection: RemotingConnection,
  topic: string,
  queueId: number,
  uniqKey: string,
  until: (found: MessageRecord[]) => boolean = (found) => found.length > 0,
  timeoutMillis = 3000,
): Promise<MessageRecord[]> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const found = (await pullAll(connection, topic, queueId)).filter(
      (m) => m.properties.UNIQ_KEY === uniqKey,
    );
    if (until(found) || Date.now() > deadline) return found;
    await sleep(50);
  }
}

export { sleep };

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  message: string;
  fields: Record<string, unknown>;
}

/** A BrokerLogger that keeps what it is told, so tests can assert on what an operator would read. */
export function capturingLogger(): BrokerLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, message, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}
