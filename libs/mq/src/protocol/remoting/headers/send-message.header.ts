/**
 * Headers of SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320).
 *
 * Interview question: "What does a producer actually send?" — the body bytes plus this header: group,
 * topic, queue, sysFlag (compression, transaction prepared), born time and the properties string that
 * carries tags, keys, delay level and the unique message id. V2 is the same header with one-letter
 * field names (a..n), which is what Java sends by default to save bytes on every message.
 */
import { RequestCode } from '../request-code';
import {
  type ExtFields,
  optionalBoolean,
  optionalInt,
  optionalString,
  requireInt,
  requireLong,
  requireString,
  toExtFields,
} from './header-fields';

export interface SendMessageRequestHeader {
  producerGroup: string;
  topic: string;
  /** Template for auto-creating the topic, normally TBW102. */
  defaultTopic: string;
  defaultTopicQueueNums: number;
  /** Negative: let the broker pick a writable queue. */
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  /** The user's flag, stored as-is. */
  flag: number;
  properties?: string;
  reconsumeTimes?: number;
  unitMode?: boolean;
  maxReconsumeTimes?: number;
  batch?: boolean;
  /** Broker name (4.9.5+). */
  bname?: string;
}

type SendMessageFieldNames = { readonly [K in keyof Required<SendMessageRequestHeader>]: string };

/** SendMessageRequestHeaderV2's short names. */
export const SEND_MESSAGE_V2_FIELD_NAMES: SendMessageFieldNames = {
  producerGroup: 'a',
  topic: 'b',
  defaultTopic: 'c',
  defaultTopicQueueNums: 'd',
  queueId: 'e',
  sysFlag: 'f',
  bornTimestamp: 'g',
  flag: 'h',
  properties: 'i',
  reconsumeTimes: 'j',
  unitMode: 'k',
  maxReconsumeTimes: 'l',
  batch: 'm',
  bname: 'n',
};

const V1_FIELD_NAMES: SendMessageFieldNames = {
  producerGroup: 'producerGroup',
  topic: 'topic',
  defaultTopic: 'defaultTopic',
  defaultTopicQueueNums: 'defaultTopicQueueNums',
  queueId: 'queueId',
  sysFlag: 'sysFlag',
  bornTimestamp: 'bornTimestamp',
  flag: 'flag',
  properties: 'properties',
  reconsumeTimes: 'reconsumeTimes',
  unitMode: 'unitMode',
  maxReconsumeTimes: 'maxReconsumeTimes',
  batch: 'batch',
  bname: 'bname',
};

/** Errors name the field as it appears on the wire ("e", not "queueId"), which is what a peer sent. */
function readSendMessageHeader(ext: ExtFields, names: SendMessageFieldNames): SendMessageRequestHeader {
  return {
    producerGroup: requireString(ext, names.producerGroup),
    topic: requireString(ext, names.topic),
    defaultTopic: requireString(ext, names.defaultTopic),
    defaultTopicQueueNums: requireInt(ext, names.defaultTopicQueueNums),
    queueId: requireInt(ext, names.queueId),
    sysFlag: requireInt(ext, names.sysFlag),
    bornTimestamp: requireLong(ext, names.bornTimestamp),
    flag: requireInt(ext, names.flag),
    properties: optionalString(ext, names.properties),
    reconsumeTimes: optionalInt(ext, names.reconsumeTimes),
    unitMode: optionalBoolean(ext, names.unitMode),
    maxReconsumeTimes: optionalInt(ext, names.maxReconsumeTimes),
    batch: optionalBoolean(ext, names.batch),
    // 4.9.5+ V2 senders may carry the broker name both as `n` and as RpcRequestHeader's `bname`.
    bname: optionalString(ext, names.bname) ?? optionalString(ext, 'bname'),
  };
}

/** The V1 header of SEND_MESSAGE (10) and SEND_REPLY_MESSAGE (324). */
export function parseSendMessageRequestHeader(ext: ExtFields): SendMessageRequestHeader {
  return readSendMessageHeader(ext, V1_FIELD_NAMES);
}

/** The V2 header of SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) and SEND_REPLY_MESSAGE_V2 (325). */
export function sendMessageHeaderFromV2(ext: ExtFields): SendMessageRequestHeader {
  return readSendMessageHeader(ext, SEND_MESSAGE_V2_FIELD_NAMES);
}

/** Picks the V1 or V2 reading by request code, so a send processor can serve all send codes. */
export function readSendMessageRequestHeader(code: number, ext: ExtFields): SendMessageRequestHeader {
  const isV1 = code === RequestCode.SEND_MESSAGE || code === RequestCode.SEND_REPLY_MESSAGE;
  return isV1 ? parseSendMessageRequestHeader(ext) : sendMessageHeaderFromV2(ext);
}

export function sendMessageHeaderToV2(header: SendMessageRequestHeader): Record<string, string> {
  const ext: Record<string, string> = {};
  let field: keyof SendMessageRequestHeader;
  for (field in SEND_MESSAGE_V2_FIELD_NAMES) {
    const value = header[field];
    if (value !== undefined && value !== null) ext[SEND_MESSAGE_V2_FIELD_NAMES[field]] = String(value);
  }
  return ext;
}

export function sendMessageHeaderToV1(header: SendMessageRequestHeader): Record<string, string> {
  return toExtFields(header);
}

export interface SendMessageResponseHeader {
  /** The offset message id (comma-joined for a batch). */
  msgId: string;
  queueId: number;
  /** Queue offset of the (first) stored message. */
  queueOffset: number;
  transactionId?: string;
  /** Extra ext fields a Java broker adds and a Java producer reads. */
  MSG_REGION?: string;
  TRACE_ON?: string;
}

export function parseSendMessageResponseHeader(ext: ExtFields): SendMessageResponseHeader {
  return {
    msgId: requireString(ext, 'msgId'),
    queueId: requireInt(ext, 'queueId'),
    queueOffset: requireLong(ext, 'queueOffset'),
    transactionId: optionalString(ext, 'transactionId'),
    MSG_REGION: optionalString(ext, 'MSG_REGION'),
    TRACE_ON: optionalString(ext, 'TRACE_ON'),
  };
}
