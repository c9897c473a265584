/**
 * Headers of the per-queue offset lookups: GET_MAX_OFFSET (30), GET_MIN_OFFSET (31),
 * SEARCH_OFFSET_BY_TIMESTAMP (29) and GET_EARLIEST_MSG_STORETIME (32).
 *
 * Interview question: "How do you compute consumer lag, or replay from a point in time?" — lag is the
 * queue's max offset minus the group's committed offset; replay searches the queue by store time.
 */
import { type ExtFields, optionalBoolean, requireInt, requireLong, requireString } from './header-fields';

/** The request of GET_MIN_OFFSET and GET_EARLIEST_MSG_STORETIME. */
export interface QueueRequestHeader {
  topic: string;
  queueId: number;
}

export function parseQueueRequestHeader(ext: ExtFields): QueueRequestHeader {
  return { topic: requireString(ext, 'topic'), queueId: requireInt(ext, 'queueId') };
}

export type GetMinOffsetRequestHeader = QueueRequestHeader;
export type GetEarliestMsgStoretimeRequestHeader = QueueRequestHeader;

export interface GetMaxOffsetRequestHeader extends QueueRequestHeader {
  /** [5.x] only count committed (dispatched) entries. */
  committed?: boolean;
}

export function parseGetMaxOffsetRequestHeader(ext: ExtFields): GetMaxOffsetRequestHeader {
  return { ...parseQueueRequestHeader(ext), committed: optionalBoolean(ext, 'committed') };
}

export interface SearchOffsetByTimestampRequestHeader extends QueueRequestHeader {
  /** Epoch milliseconds. */
  timestamp: number;
}

export function parseSearchOffsetByTimestampRequestHeader(
  ext: ExtFields,
): SearchOffsetByTimestampRequestHeader {
  return { ...parseQueueRequestHeader(ext), timestamp: requireLong(ext, 'timestamp') };
}

/** The answer of GET_MAX_OFFSET, GET_MIN_OFFSET and SEARCH_OFFSET_BY_TIMESTAMP. */
export interface QueueOffsetResponseHeader {
  offset: number;
}

export function parseQueueOffsetResponseHeader(ext: ExtFields): QueueOffsetResponseHeader {
  return { offset: requireLong(ext, 'offset') };
}

export interface GetEarliestMsgStoretimeResponseHeader {
  timestamp: number;
}

export function parseGetEarliestMsgStoretimeResponseHeader(
  ext: ExtFields,
): GetEarliestMsgStoretimeResponseHeader {
  return { timestamp: requireLong(ext, 'timestamp') };
}
