/**
 * DispatchRequest: what the reput step learns from one CommitLog record — enough to build a
 * ConsumeQueue entry and IndexFile entries and to wake long polls (RocketMQ's
 * `CommitLog.checkMessageAndReturnSize`). Recovery uses the same reader with the CRC check on.
 *
 * It reads only the fields it needs at their fixed offsets and never touches the body (except to
 * checksum it) or the host fields, because it runs once for every message the broker stores;
 * the full decoder (decodeStoredMessage) would build objects nobody here looks at.
 */
import {
  BLANK_MAGIC_CODE,
  bodyLengthOffset,
  crc32Masked,
  decodeProperties,
  MESSAGE_MAGIC_CODE,
  MessageConst,
  readInt64BE,
  storeTimestampOffset,
  type StoredMessageCorruptReason,
  StoredMessageLayout,
  tagsCodeOf,
} from './protocol';
import { type TagsCodeResolver } from './message-store.config';

export interface DispatchRequest {
  topic: string;
  queueId: number;
  commitLogOffset: number;
  msgSize: number;
  tagsCode: number;
  storeTimestamp: number;
  consumeQueueOffset: number;
  sysFlag: number;
  preparedTransactionOffset: number;
  properties: Record<string, string>;
}

export type DispatchCorruptReason = StoredMessageCorruptReason | 'OFFSET_MISMATCH';

export type DispatchReadResult =
  | { status: 'MESSAGE'; request: DispatchRequest; size: number }
  | { status: 'BLANK'; size: number }
  | { status: 'INCOMPLETE' }
  | { status: 'CORRUPT'; reason: DispatchCorruptReason };

export interface DispatchReadOptions {
  checkCRC?: boolean;
  tagsCodeResolver?: TagsCodeResolver;
  /** The physical offset the record must carry; a mismatch means we are not at a record start. */
  expectedOffset?: number;
}

const L = StoredMessageLayout;
const INCOMPLETE: DispatchReadResult = Object.freeze({ status: 'INCOMPLETE' as const });

function corrupt(reason: DispatchCorruptReason): DispatchReadResult {
  return { status: 'CORRUPT', reason };
}

export function readDispatchRequest(
  buf: Buffer,
  offset: number,
  options: DispatchReadOptions,
): DispatchReadResult {
  const remaining = buf.length - offset;
  if (remaining < 8) return INCOMPLETE;
  const totalSize = buf.readInt32BE(offset);
  const magic = buf.readInt32BE(offset + L.MAGIC);
  if (magic === BLANK_MAGIC_CODE)
    return totalSize >= 8 ? { status: 'BLANK', size: totalSize } : corrupt('BAD_TOTAL_SIZE');
  if (magic !== MESSAGE_MAGIC_CODE) return corrupt('BAD_MAGIC');
  if (totalSize < L.FIXED_LENGTH) return corrupt('BAD_TOTAL_SIZE');
  if (totalSize > remaining) return INCOMPLETE;
  return readMessage(buf, offset, totalSize, options);
}

function readMessage(
  buf: Buffer,
  offset: number,
  totalSize: number,
  options: DispatchReadOptions,
): DispatchReadResult {
  const end = offset + totalSize;
  const sysFlag = buf.readInt32BE(offset + L.SYS_FLAG);
  const bodyLengthAt = offset + bodyLengthOffset(sysFlag);
  if (bodyLengthAt + 4 + 1 + 2 > end) return corrupt('BAD_TOTAL_SIZE');
  const bodyLength = buf.readInt32BE(bodyLengthAt);
  if (bodyLength < 0) return corrupt('NEGATIVE_LENGTH');
  const bodyStart = bodyLengthAt + 4;
  const topicLengthAt = bodyStart + bodyLength;
  if (topicLengthAt + 1 + 2 > end) return corrupt('LENGTH_MISMATCH');
  const topicLength = buf.readInt8(topicLengthAt);
  if (topicLength < 0) return corrupt('NEGATIVE_LENGTH');
  const propertiesLengthAt = topicLengthAt + 1 + topicLength;
  if (propertiesLengthAt + 2 > end) return corrupt('LENGTH_MISMATCH');
  const propertiesLength = buf.readInt16BE(propertiesLengthAt);
  if (propertiesLength < 0) return corrupt('NEGATIVE_LENGTH');
  if (propertiesLengthAt + 2 + propertiesLength !== end) return corrupt('LENGTH_MISMATCH');

  if (
    options.checkCRC &&
    crc32Masked(buf, bodyStart, topicLengthAt) !== buf.readInt32BE(offset + L.BODY_CRC)
  ) {
    return corrupt('BODY_CRC_MISMATCH');
  }
  const commitLogOffset = readInt64BE(buf, offset + L.PHYSICAL_OFFSET);
  if (options.expectedOffset !== undefined && commitLogOffset !== options.expectedOffset) {
    return corrupt('OFFSET_MISMATCH');
  }

  const request: DispatchRequest = {
    topic: buf.toString('utf8', topicLengthAt + 1, propertiesLengthAt),
    queueId: buf.readInt32BE(offset + L.QUEUE_ID),
    commitLogOffset,
    msgSize: totalSize,
    tagsCode: 0,
    storeTimestamp: readInt64BE(buf, offset + storeTimestampOffset(sysFlag)),
    consumeQueueOffset: readInt64BE(buf, offset + L.QUEUE_OFFSET),
    sysFlag,
    preparedTransactionOffset: readInt64BE(buf, bodyLengthAt - 8),
    properties:
      propertiesLength > 0 ? decodeProperties(buf.toString('utf8', propertiesLengthAt + 2, end)) : {},
  };
  request.tagsCode = options.tagsCodeResolver?.(request) ?? tagsCodeOf(request.properties[MessageConst.TAGS]);
  return { status: 'MESSAGE', request, size: totalSize };
}
