/**
 * A message as RocketMQ stores it in the CommitLog: the same record a PULL_MESSAGE response carries
 * back to the consumer (rocketmq-facts.md §3.1, "MessageExt"). Shared by the broker's store and the
 * client's pull decoder.
 *
 * Offsets and timestamps are JavaScript numbers: commit-log offsets and epoch milliseconds stay far
 * below 2^53, and numbers keep the hot path free of BigInt allocations.
 */
export interface SocketAddress {
  /** IPv4 dotted quad or an IPv6 address (IPv6 sets the BORNHOST_V6/STOREHOST_V6 sysFlag bits). */
  host: string;
  port: number;
}

export interface MessageRecord {
  topic: string;
  queueId: number;
  /** The producer's user flag, stored as-is. */
  flag: number;
  /** Body as stored (compressed when sysFlag has COMPRESSED_FLAG). */
  body: Buffer;
  properties: Record<string, string>;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: SocketAddress;
  storeTimestamp: number;
  storeHost: SocketAddress;
  reconsumeTimes: number;
  /** For a committed transactional message: commit-log offset of its half message; else 0. */
  preparedTransactionOffset: number;
  /** Logical offset in its ConsumeQueue. */
  queueOffset: number;
  /** Physical offset of this record in the CommitLog. */
  commitLogOffset: number;
  /** Whole record length in bytes (TOTALSIZE); filled by the decoder. */
  storeSize?: number;
  /** CRC32 of the stored body masked with 0x7FFFFFFF; filled by the decoder. */
  bodyCRC?: number;
}
