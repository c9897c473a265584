/**
 * The CommitLog record (`MessageDecoder`/`CommitLog.DefaultAppendMessageCallback` in RocketMQ): the
 * byte layout a broker appends to its log and ships back, unchanged, in a PULL_MESSAGE response body.
 *
 * Interview questions: "Why is RocketMQ's CommitLog fast?" — every message, whatever its topic, is
 * one self-describing record appended sequentially; ConsumeQueues only point into it. "How does the
 * broker recover after a crash?" — it walks records from a checkpoint, trusting a record only if its
 * magic code, its size and (optionally) its body CRC agree; a torn tail decodes as INCOMPLETE.
 *
 * Only the version 1 layout is written, the one every 4.x client (including ali-ons) can read.
 */
import { MessageSysFlag } from './message-const';
import { MessageFormatError } from './message-format-error';
import type { MessageRecord, SocketAddress } from './message-record';
import { crc32Masked } from './crc32';
import { readInt64BE, writeInt64BE } from './int64';
import { decodeProperties, encodeProperties } from './message-properties';
import { decodeHost, encodeHost, isIPv6Host } from './socket-address';

export const MESSAGE_MAGIC_CODE = 0xdaa320a7 | 0;
/** 5.x records with a 2-byte topic length; decoded for completeness, never written. */
export const MESSAGE_MAGIC_CODE_V2 = 0xdaa320ab | 0;
/** Marks the unused tail of a CommitLog file: "continue in the next file". */
export const BLANK_MAGIC_CODE = 0xcbd43194 | 0;
/** A blank marker is TOTALSIZE + MAGIC; a file always keeps room for one. */
export const BLANK_MARKER_LENGTH = 8;
/** v1 stores the topic length in one signed byte. */
export const MAX_TOPIC_LENGTH = 127;
/** The properties length is a signed int16. */
export const MAX_PROPERTIES_LENGTH = 32767;

/**
 * Field offsets of a v1 record whose born and store hosts are both IPv4. QUEUE_OFFSET and
 * PHYSICAL_OFFSET never move, so the store may patch them in place at append time; fields from
 * STORE_TIMESTAMP on shift by 12 bytes per IPv6 host (use the functions below).
 */
export const StoredMessageLayout = {
  TOTAL_SIZE: 0,
  MAGIC: 4,
  BODY_CRC: 8,
  QUEUE_ID: 12,
  FLAG: 16,
  QUEUE_OFFSET: 20,
  PHYSICAL_OFFSET: 28,
  SYS_FLAG: 36,
  BORN_TIMESTAMP: 40,
  BORN_HOST: 48,
  STORE_TIMESTAMP: 56,
  STORE_HOST: 64,
  RECONSUME_TIMES: 72,
  PREPARED_TX_OFFSET: 76,
  BODY_LENGTH: 84,
  /** Record length with an empty body, topic and properties. */
  FIXED_LENGTH: 91,
} as const;

const IPV6_EXTRA = 12;

function bornHostExtra(sysFlag: number): number {
  return (sysFlag & MessageSysFlag.BORNHOST_V6) !== 0 ? IPV6_EXTRA : 0;
}

function hostsExtra(sysFlag: number): number {
  return bornHostExtra(sysFlag) + ((sysFlag & MessageSysFlag.STOREHOST_V6) !== 0 ? IPV6_EXTRA : 0);
}

/** STORETIMESTAMP moves when the born host is IPv6. */
export function storeTimestampOffset(sysFlag: number): number {
  return StoredMessageLayout.STORE_TIMESTAMP + bornHostExtra(sysFlag);
}

export function storeHostOffset(sysFlag: number): number {
  return StoredMessageLayout.STORE_HOST + bornHostExtra(sysFlag);
}

export function reconsumeTimesOffset(sysFlag: number): number {
  return StoredMessageLayout.RECONSUME_TIMES + hostsExtra(sysFlag);
}

export function preparedTransactionOffsetOffset(sysFlag: number): number {
  return StoredMessageLayout.PREPARED_TX_OFFSET + hostsExtra(sysFlag);
}

export function bodyLengthOffset(sysFlag: number): number {
  return StoredMessageLayout.BODY_LENGTH + hostsExtra(sysFlag);
}

/** TOTALSIZE of a v1 record; all lengths are in bytes (UTF-8 for topic and properties). */
export function storedMessageLength(
  bodyLength: number,
  topicLength: number,
  propertiesLength: number,
  sysFlag: number,
): number {
  return StoredMessageLayout.FIXED_LENGTH + bodyLength + topicLength + propertiesLength + hostsExtra(sysFlag);
}

/** The message's sysFlag with the IPv6 host bits made to match its actual addresses. */
export function withHostFlags(sysFlag: number, bornHost: SocketAddress, storeHost: SocketAddress): number {
  let flags = sysFlag & ~(MessageSysFlag.BORNHOST_V6 | MessageSysFlag.STOREHOST_V6);
  if (isIPv6Host(bornHost.host)) flags |= MessageSysFlag.BORNHOST_V6;
  if (isIPv6Host(storeHost.host)) flags |= MessageSysFlag.STOREHOST_V6;
  return flags;
}

/**
 * Length the record of `message` will have. `propertiesString` defaults to the encoded properties;
 * throws MessageFormatError when the topic or properties exceed what the layout can hold.
 */
export function storedMessageLengthOf(message: MessageRecord, propertiesString?: string): number {
  const properties = propertiesString ?? encodeProperties(message.properties);
  const sysFlag = withHostFlags(message.sysFlag, message.bornHost, message.storeHost);
  return storedMessageLength(
    message.body.length,
    checkedTopicLength(message.topic),
    checkedPropertiesLength(properties),
    sysFlag,
  );
}

/** Encodes one record into a new buffer: BODYCRC and TOTALSIZE are computed here. */
export function encodeStoredMessage(message: MessageRecord): Buffer {
  const properties = encodeProperties(message.properties);
  const buf = Buffer.allocUnsafe(storedMessageLengthOf(message, properties));
  encodeStoredMessageInto(buf, 0, message, properties);
  return buf;
}

/**
 * Encodes one record straight into `buf` at `offset` (e.g. the CommitLog's write buffer) and
 * returns its length. Pass `propertiesString` when it is already at hand, to skip re-encoding; it
 * is written as given. The IPv6 sysFlag bits are derived from the addresses, so the record is
 * always self-consistent.
 */
export function encodeStoredMessageInto(
  buf: Buffer,
  offset: number,
  message: MessageRecord,
  propertiesString?: string,
): number {
  const properties = propertiesString ?? encodeProperties(message.properties);
  const topicLength = checkedTopicLength(message.topic);
  const propertiesLength = checkedPropertiesLength(properties);
  const body = message.body;
  const sysFlag = withHostFlags(message.sysFlag, message.bornHost, message.storeHost);
  const size = storedMessageLength(body.length, topicLength, propertiesLength, sysFlag);
  if (offset < 0 || offset + size > buf.length) {
    throw new MessageFormatError('BUFFER_TOO_SMALL', `record of ${size} bytes does not fit at ${offset}`);
  }

  buf.writeInt32BE(size, offset);
  buf.writeInt32BE(MESSAGE_MAGIC_CODE, offset + 4);
  buf.writeInt32BE(crc32Masked(body), offset + 8);
  buf.writeInt32BE(message.queueId | 0, offset + 12);
  buf.writeInt32BE(message.flag | 0, offset + 16);
  writeInt64BE(buf, message.queueOffset, offset + 20);
  writeInt64BE(buf, message.commitLogOffset, offset + 28);
  buf.writeInt32BE(sysFlag | 0, offset + 36);
  let pos = writeInt64BE(buf, message.bornTimestamp, offset + 40);
  pos += encodeHost(buf, pos, message.bornHost);
  pos = writeInt64BE(buf, message.storeTimestamp, pos);
  pos += encodeHost(buf, pos, message.storeHost);
  buf.writeInt32BE(message.reconsumeTimes | 0, pos);
  pos = writeInt64BE(buf, message.preparedTransactionOffset, pos + 4);
  buf.writeInt32BE(body.length, pos);
  pos += 4 + body.copy(buf, pos + 4);
  buf[pos] = topicLength;
  pos += 1 + buf.write(message.topic, pos + 1, topicLength, 'utf8');
  buf.writeInt16BE(propertiesLength, pos);
  if (propertiesLength > 0) buf.write(properties, pos + 2, propertiesLength, 'utf8');
  return size;
}

/**
 * Fills in the fields the CommitLog assigns at append time, inside its put lock, on a record that
 * was encoded beforehand. The sysFlag is read from the record to find STORETIMESTAMP.
 */
export function patchStoredMessage(
  buf: Buffer,
  offset: number,
  queueOffset: number,
  commitLogOffset: number,
  storeTimestamp: number,
): void {
  writeInt64BE(buf, queueOffset, offset + StoredMessageLayout.QUEUE_OFFSET);
  writeInt64BE(buf, commitLogOffset, offset + StoredMessageLayout.PHYSICAL_OFFSET);
  const sysFlag = buf.readInt32BE(offset + StoredMessageLayout.SYS_FLAG);
  writeInt64BE(buf, storeTimestamp, offset + storeTimestampOffset(sysFlag));
}

/** Writes the end-of-file marker that fills the `length` bytes left in a CommitLog file. */
export function encodeBlankMarker(buf: Buffer, offset: number, length: number): number {
  buf.writeInt32BE(length, offset);
  buf.writeInt32BE(BLANK_MAGIC_CODE, offset + 4);
  return BLANK_MARKER_LENGTH;
}

function checkedTopicLength(topic: string): number {
  const length = Buffer.byteLength(topic, 'utf8');
  if (length > MAX_TOPIC_LENGTH) {
    throw new MessageFormatError(
      'TOPIC_TOO_LONG',
      `topic is ${length} bytes, the limit is ${MAX_TOPIC_LENGTH}`,
    );
  }
  return length;
}

function checkedPropertiesLength(properties: string): number {
  const length = Buffer.byteLength(properties, 'utf8');
  if (length > MAX_PROPERTIES_LENGTH) {
    throw new MessageFormatError(
      'PROPERTIES_TOO_LONG',
      `properties are ${length} bytes, the limit is ${MAX_PROPERTIES_LENGTH}`,
    );
  }
  return length;
}

// ---------------------------------------------------------------------------------------------
// Decoding: status results, never exceptions, whatever the bytes.

export type StoredMessageCorruptReason =
  'BAD_OFFSET' | 'BAD_MAGIC' | 'BAD_TOTAL_SIZE' | 'NEGATIVE_LENGTH' | 'LENGTH_MISMATCH' | 'BODY_CRC_MISMATCH';

export type StoredMessageDecodeResult =
  | { status: 'OK'; message: MessageRecord; size: number }
  | { status: 'BLANK'; size: number }
  | { status: 'INCOMPLETE' }
  | { status: 'CORRUPT'; reason: StoredMessageCorruptReason };

export interface StoredMessageDecodeOptions {
  /** false: leave `body` empty (the reput dispatcher needs only offsets, tags and keys). Default true. */
  readBody?: boolean;
  /** true: recompute the body CRC and report a mismatch as CORRUPT. Default false. */
  checkCRC?: boolean;
}

const EMPTY_BODY = Buffer.alloc(0);
const INCOMPLETE = Object.freeze({ status: 'INCOMPLETE' as const });
const CORRUPT = {} as Record<
  StoredMessageCorruptReason,
  { status: 'CORRUPT'; reason: StoredMessageCorruptReason }
>;
for (const reason of [
  'BAD_OFFSET',
  'BAD_MAGIC',
  'BAD_TOTAL_SIZE',
  'NEGATIVE_LENGTH',
  'LENGTH_MISMATCH',
  'BODY_CRC_MISMATCH',
] as const) {
  CORRUPT[reason] = Object.freeze({ status: 'CORRUPT' as const, reason });
}

/**
 * Decodes the record at `offset`. `message.body` is a view into `buf` (no copy): copy it if `buf`
 * will be reused. The record is checked against its own TOTALSIZE, so a decoder never reads into
 * the next record.
 */
export function decodeStoredMessage(
  buf: Buffer,
  offset = 0,
  options?: StoredMessageDecodeOptions,
): StoredMessageDecodeResult {
  if (!Number.isInteger(offset) || offset < 0) return CORRUPT.BAD_OFFSET;
  const remaining = buf.length - offset;
  if (remaining < BLANK_MARKER_LENGTH) return INCOMPLETE;
  const totalSize = buf.readInt32BE(offset);
  const magic = buf.readInt32BE(offset + StoredMessageLayout.MAGIC);
  if (magic === BLANK_MAGIC_CODE) {
    return totalSize >= BLANK_MARKER_LENGTH ? { status: 'BLANK', size: totalSize } : CORRUPT.BAD_TOTAL_SIZE;
  }
  if (magic !== MESSAGE_MAGIC_CODE && magic !== MESSAGE_MAGIC_CODE_V2) return CORRUPT.BAD_MAGIC;
  if (totalSize < StoredMessageLayout.FIXED_LENGTH) return CORRUPT.BAD_TOTAL_SIZE;
  if (totalSize > remaining) return INCOMPLETE;
  return decodeRecord(buf, offset, totalSize, magic === MESSAGE_MAGIC_CODE_V2, options);
}

function decodeRecord(
  buf: Buffer,
  offset: number,
  totalSize: number,
  v2: boolean,
  options: StoredMessageDecodeOptions | undefined,
): StoredMessageDecodeResult {
  const end = offset + totalSize;
  const topicLengthSize = v2 ? 2 : 1;
  const sysFlag = buf.readInt32BE(offset + StoredMessageLayout.SYS_FLAG);
  if (storedMessageLength(0, 0, 0, sysFlag) + topicLengthSize - 1 > totalSize) return CORRUPT.BAD_TOTAL_SIZE;

  const bornV6 = (sysFlag & MessageSysFlag.BORNHOST_V6) !== 0;
  const storeV6 = (sysFlag & MessageSysFlag.STOREHOST_V6) !== 0;
  let pos = offset + StoredMessageLayout.BORN_HOST;
  const bornHost = decodeHost(buf, pos, bornV6);
  pos += bornV6 ? 20 : 8;
  const storeTimestamp = readInt64BE(buf, pos);
  const storeHost = decodeHost(buf, pos + 8, storeV6);
  pos += storeV6 ? 28 : 16;
  const reconsumeTimes = buf.readInt32BE(pos);
  const preparedTransactionOffset = readInt64BE(buf, pos + 4);
  const bodyLength = buf.readInt32BE(pos + 12);
  pos += 16;

  if (bodyLength < 0) return CORRUPT.NEGATIVE_LENGTH;
  if (pos + bodyLength + topicLengthSize + 2 > end) return CORRUPT.LENGTH_MISMATCH;
  const bodyStart = pos;
  pos += bodyLength;
  const topicLength = v2 ? buf.readInt16BE(pos) : buf.readInt8(pos);
  pos += topicLengthSize;
  if (topicLength < 0) return CORRUPT.NEGATIVE_LENGTH;
  if (pos + topicLength + 2 > end) return CORRUPT.LENGTH_MISMATCH;
  const topicStart = pos;
  pos += topicLength;
  const propertiesLength = buf.readInt16BE(pos);
  pos += 2;
  if (propertiesLength < 0) return CORRUPT.NEGATIVE_LENGTH;
  if (pos + propertiesLength !== end) return CORRUPT.LENGTH_MISMATCH;

  const bodyCRC = buf.readInt32BE(offset + StoredMessageLayout.BODY_CRC);
  if (options?.checkCRC === true && crc32Masked(buf, bodyStart, bodyStart + bodyLength) !== bodyCRC) {
    return CORRUPT.BODY_CRC_MISMATCH;
  }

  const message: MessageRecord = {
    topic: buf.toString('utf8', topicStart, topicStart + topicLength),
    queueId: buf.readInt32BE(offset + StoredMessageLayout.QUEUE_ID),
    flag: buf.readInt32BE(offset + StoredMessageLayout.FLAG),
    body: options?.readBody === false ? EMPTY_BODY : buf.subarray(bodyStart, bodyStart + bodyLength),
    properties: propertiesLength > 0 ? decodeProperties(buf.toString('utf8', pos, end)) : {},
    sysFlag,
    bornTimestamp: readInt64BE(buf, offset + StoredMessageLayout.BORN_TIMESTAMP),
    bornHost,
    storeTimestamp,
    storeHost,
    reconsumeTimes,
    preparedTransactionOffset,
    queueOffset: readInt64BE(buf, offset + StoredMessageLayout.QUEUE_OFFSET),
    commitLogOffset: readInt64BE(buf, offset + StoredMessageLayout.PHYSICAL_OFFSET),
    storeSize: totalSize,
    bodyCRC,
  };
  return { status: 'OK', message, size: totalSize };
}

/**
 * Decodes back-to-back records, as in a PULL_MESSAGE response body. Like the Java client it stops
 * silently at the first record that does not decode.
 */
export function decodeStoredMessages(buf: Buffer): MessageRecord[] {
  const messages: MessageRecord[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const result = decodeStoredMessage(buf, offset);
    if (result.status !== 'OK') break;
    messages.push(result.message);
    offset += result.size;
  }
  return messages;
}
