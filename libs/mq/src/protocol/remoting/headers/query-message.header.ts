/**
 * Headers of VIEW_MESSAGE_BY_ID (33) and QUERY_MESSAGE (12).
 *
 * Interview question: "How do you find one message by id or key?" — the offset message id encodes the
 * broker address and commit-log offset, so VIEW_MESSAGE_BY_ID goes straight to the record; keys and
 * unique ids go through the IndexFile hash index with QUERY_MESSAGE.
 */
import { type ExtFields, optionalBoolean, requireInt, requireLong, requireString } from './header-fields';

export interface ViewMessageByIdRequestHeader {
  /** Physical commit-log offset, decoded from the offset message id. */
  offset: number;
}

export function parseViewMessageByIdRequestHeader(ext: ExtFields): ViewMessageByIdRequestHeader {
  return { offset: requireLong(ext, 'offset') };
}

export interface QueryMessageRequestHeader {
  topic: string;
  key: string;
  maxNum: number;
  beginTimestamp: number;
  endTimestamp: number;
  /** Ext field that marks `key` as a unique message id rather than a user key. */
  _UNIQUE_KEY_QUERY?: boolean;
}

export function parseQueryMessageRequestHeader(ext: ExtFields): QueryMessageRequestHeader {
  return {
    topic: requireString(ext, 'topic'),
    key: requireString(ext, 'key'),
    maxNum: requireInt(ext, 'maxNum'),
    beginTimestamp: requireLong(ext, 'beginTimestamp'),
    endTimestamp: requireLong(ext, 'endTimestamp'),
    _UNIQUE_KEY_QUERY: optionalBoolean(ext, '_UNIQUE_KEY_QUERY'),
  };
}

export interface QueryMessageResponseHeader {
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

export function parseQueryMessageResponseHeader(ext: ExtFields): QueryMessageResponseHeader {
  return {
    indexLastUpdateTimestamp: requireLong(ext, 'indexLastUpdateTimestamp'),
    indexLastUpdatePhyoffset: requireLong(ext, 'indexLastUpdatePhyoffset'),
  };
}
