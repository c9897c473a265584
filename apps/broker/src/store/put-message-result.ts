/**
 * What a put returns: RocketMQ's `PutMessageStatus` and `AppendMessageResult`. The broker maps the
 * status to a SEND_MESSAGE response code; nothing on this path throws.
 */
export const PutMessageStatus = {
  PUT_OK: 'PUT_OK',
  /** SYNC_FLUSH: stored, but the fsync did not finish within syncFlushTimeout. */
  FLUSH_DISK_TIMEOUT: 'FLUSH_DISK_TIMEOUT',
  /** SYNC_MASTER (replication, a later issue): stored, the slave did not confirm in time. */
  FLUSH_SLAVE_TIMEOUT: 'FLUSH_SLAVE_TIMEOUT',
  SLAVE_NOT_AVAILABLE: 'SLAVE_NOT_AVAILABLE',
  SERVICE_NOT_AVAILABLE: 'SERVICE_NOT_AVAILABLE',
  CREATE_MAPPED_FILE_FAILED: 'CREATE_MAPPED_FILE_FAILED',
  MESSAGE_ILLEGAL: 'MESSAGE_ILLEGAL',
  PROPERTIES_SIZE_EXCEEDED: 'PROPERTIES_SIZE_EXCEEDED',
  OS_PAGECACHE_BUSY: 'OS_PAGECACHE_BUSY',
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
} as const;
export type PutMessageStatus = (typeof PutMessageStatus)[keyof typeof PutMessageStatus];

export interface AppendMessageResult {
  /** Physical offset of the (first) record. */
  wroteOffset: number;
  /** Bytes appended (all records of a batch). */
  wroteBytes: number;
  /** Offset msgId (storeHost + physical offset); comma-joined for a batch, as RocketMQ does. */
  msgId: string;
  /** One offset msgId per record of a batch. */
  msgIds: string[];
  /** Queue offset of the (first) record; 0 for prepared/rollback transaction records. */
  queueOffset: number;
  /** Number of records appended. */
  msgNum: number;
  storeTimestamp: number;
}

export interface PutMessageResult {
  status: PutMessageStatus;
  appendResult?: AppendMessageResult;
}
