/**
 * RocketMQ `MessageConst` and `MessageSysFlag`: the property names every client and broker agree on,
 * and the bit field that says how a stored record must be read.
 *
 * Interview question: "How does a RocketMQ message carry its tag, keys, delay level or transaction
 * state?" — as string properties (tag, keys, delay) and as sysFlag bits (transaction type,
 * compression, IPv6 hosts), both stored inside the CommitLog record itself.
 */

/** Property names, spelled exactly as RocketMQ puts them on the wire. */
export const MessageConst = {
  KEYS: 'KEYS',
  TAGS: 'TAGS',
  WAIT: 'WAIT',
  DELAY: 'DELAY',
  RETRY_TOPIC: 'RETRY_TOPIC',
  REAL_TOPIC: 'REAL_TOPIC',
  REAL_QID: 'REAL_QID',
  TRAN_MSG: 'TRAN_MSG',
  PGROUP: 'PGROUP',
  MIN_OFFSET: 'MIN_OFFSET',
  MAX_OFFSET: 'MAX_OFFSET',
  BUYER_ID: 'BUYER_ID',
  ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  TRANSFER_FLAG: 'TRANSFER_FLAG',
  CORRECTION_FLAG: 'CORRECTION_FLAG',
  MQ2_FLAG: 'MQ2_FLAG',
  RECONSUME_TIME: 'RECONSUME_TIME',
  MSG_REGION: 'MSG_REGION',
  TRACE_ON: 'TRACE_ON',
  UNIQ_KEY: 'UNIQ_KEY',
  MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  CONSUME_START_TIME: 'CONSUME_START_TIME',
  TRAN_PREPARED_QUEUE_OFFSET: 'TRAN_PREPARED_QUEUE_OFFSET',
  TRANSACTION_CHECK_TIMES: 'TRANSACTION_CHECK_TIMES',
  CHECK_IMMUNITY_TIME_IN_SECONDS: 'CHECK_IMMUNITY_TIME_IN_SECONDS',
  INSTANCE_ID: 'INSTANCE_ID',
  CORRELATION_ID: 'CORRELATION_ID',
  REPLY_TO_CLIENT: 'REPLY_TO_CLIENT',
  TTL: 'TTL',
  ARRIVE_TIME: 'ARRIVE_TIME',
  PUSH_REPLY_TIME: 'PUSH_REPLY_TIME',
  CLUSTER: 'CLUSTER',
  MSG_TYPE: 'MSG_TYPE',
  INNER_MULTI_DISPATCH: 'INNER_MULTI_DISPATCH',
  INNER_MULTI_QUEUE_OFFSET: 'INNER_MULTI_QUEUE_OFFSET',
  // 5.x names: a 4.x broker passes them through untouched, so they are safe to define here.
  SHARDING_KEY: '__SHARDINGKEY',
  TRANSACTION_ID: '__transactionId__',
  TIMER_DELIVER_MS: 'TIMER_DELIVER_MS',
  TIMER_DELAY_SEC: 'TIMER_DELAY_SEC',
  TIMER_DELAY_MS: 'TIMER_DELAY_MS',
  TIMER_OUT_MS: 'TIMER_OUT_MS',
  TIMER_ENQUEUE_MS: 'TIMER_ENQUEUE_MS',
  TIMER_DEQUEUE_MS: 'TIMER_DEQUEUE_MS',
  TIMER_ROLL_TIMES: 'TIMER_ROLL_TIMES',
  TIMER_DEL_UNIQKEY: 'TIMER_DEL_UNIQKEY',
  TIMER_DELAY_LEVEL: 'TIMER_DELAY_LEVEL',
  EXTEND_UNIQ_INFO: 'EXTEND_UNIQ_INFO',
  INNER_NUM: 'INNER_NUM',
  INNER_BASE: 'INNER_BASE',
  DUP_INFO: 'DUP_INFO',
  POP_CK: 'POP_CK',
  POP_CK_OFFSET: 'POP_CK_OFFSET',
  FIRST_POP_TIME: '1ST_POP_TIME',
  FORWARD_QUEUE_ID: 'PROPERTY_FORWARD_QUEUE_ID',
  REDIRECT: 'REDIRECT',
  TRACE_CONTEXT: 'TRACE_CONTEXT',
  BORN_HOST: '__BORNHOST',
  BORN_TIMESTAMP: 'BORN_TIMESTAMP',
  CRC32: '__CRC32#',
  DLQ_ORIGIN_TOPIC: 'DLQ_ORIGIN_TOPIC',
  DLQ_ORIGIN_MESSAGE_ID: 'DLQ_ORIGIN_MESSAGE_ID',
  TRANSIENT_PREFIX: '__RMQ.TRANSIENT.',
  // Aliyun commercial names some clients (ali-ons) send; the open-source broker does not interpret them.
  START_DELIVER_TIME: '__STARTDELIVERTIME',
  ONS_SHARDING_KEY: '__SHARDING_KEY',

  /** Separates the entries of the KEYS property. */
  KEY_SEPARATOR: ' ',
  /** Separates a property's name from its value (SOH). */
  NAME_VALUE_SEPARATOR: '\u0001',
  /** Separates one property from the next (STX). */
  PROPERTY_SEPARATOR: '\u0002',
} as const;

/** Bits 2–3 of sysFlag: where a message stands in the two-phase transaction protocol. */
export type TransactionType = 0x0 | 0x4 | 0x8 | 0xc;

/** Bits 8–10 of sysFlag, shifted down. Type 0 is what ≤4.9.3 producers write and also means zlib. */
export const CompressionType = {
  LEGACY_ZLIB: 0,
  LZ4: 1,
  ZSTD: 2,
  ZLIB: 3,
} as const;

const TRANSACTION_MASK = 0xc;
const COMPRESSION_TYPE_MASK = 0x700;
const COMPRESSION_TYPE_SHIFT = 8;

/** `getTransactionValue` in Java: only NOT_TYPE and COMMIT_TYPE records reach a ConsumeQueue. */
export function transactionType(sysFlag: number): TransactionType {
  return (sysFlag & TRANSACTION_MASK) as TransactionType;
}

/** Replaces the transaction bits, e.g. when a half message is committed and re-stored. */
export function resetTransactionType(sysFlag: number, type: TransactionType): number {
  return (sysFlag & ~TRANSACTION_MASK) | type;
}

/** The compression algorithm of a COMPRESSED body (0..7, see `CompressionType`). */
export function compressionType(sysFlag: number): number {
  return (sysFlag & COMPRESSION_TYPE_MASK) >>> COMPRESSION_TYPE_SHIFT;
}

/** Sets COMPRESSED and the type bits together, as 4.9.4+ producers do (zlib → 0x301). */
export function withCompressionType(sysFlag: number, type: number): number {
  return (
    (sysFlag & ~COMPRESSION_TYPE_MASK) | ((type << COMPRESSION_TYPE_SHIFT) & COMPRESSION_TYPE_MASK) | 0x1
  );
}

/** `MessageSysFlag`: the bits of the SYSFLAG field of a stored record. */
export const MessageSysFlag = {
  COMPRESSED: 0x1,
  MULTI_TAGS: 0x2,
  TRANSACTION_NOT_TYPE: 0x0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  BORNHOST_V6: 0x10,
  STOREHOST_V6: 0x20,
  NEED_UNWRAP: 0x40,
  INNER_BATCH: 0x80,
  COMPRESSION_TYPE_MASK,
  COMPRESSION_TYPE_SHIFT,
  /** COMPRESSED with the explicit zlib type bits, as a 4.9.4+ Java producer writes it. */
  COMPRESSED_ZLIB: 0x301,
  transactionType,
  resetTransactionType,
  compressionType,
  withCompressionType,
} as const;
