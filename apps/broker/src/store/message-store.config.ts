/**
 * MessageStoreConfig: RocketMQ's store settings, same names and (unless noted) same defaults.
 *
 * Deviations, each for a reason:
 * - maxHashSlotNum / maxIndexNum default to 500,000 / 2,000,000 (a 42 MB IndexFile) instead of
 *   5,000,000 / 20,000,000 (420 MB): the active IndexFile lives in a Buffer here, not in an mmap.
 * - hotCacheBytes, writeChunkSize and consumeQueueCacheBytes replace the OS page cache that mmap
 *   gives RocketMQ for free (see chunk-cache.ts).
 */
import type { SocketAddress } from '@flashsale/mq/protocol';
import { type DispatchRequest } from './dispatch-request';
import { StoreError } from './store-error';

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';

/**
 * Extension point for records whose ConsumeQueue tagsCode is not the tag hash: RocketMQ stores the
 * delivery time for SCHEDULE_TOPIC_XXXX. Return undefined to keep the default (hash of TAGS).
 */
export type TagsCodeResolver = (request: Omit<DispatchRequest, 'tagsCode'>) => number | undefined;

export interface MessageStoreConfig {
  storePathRootDir: string;
  /** Size of one CommitLog segment file; 1 GiB. */
  mappedFileSizeCommitLog: number;
  /** Size of one ConsumeQueue segment file; 300,000 entries of 20 bytes. Must be a multiple of 20. */
  mappedFileSizeConsumeQueue: number;
  flushDiskType: FlushDiskType;
  /** ASYNC_FLUSH: fsync the CommitLog this often (ms); commits to the file happen continuously. */
  flushIntervalCommitLog: number;
  /** ConsumeQueues, the IndexFile and the checkpoint are persisted this often (ms). */
  flushIntervalConsumeQueue: number;
  /** SYNC_FLUSH: a put waits this long for its fsync, then answers FLUSH_DISK_TIMEOUT. */
  syncFlushTimeout: number;
  /** Largest encoded record (or batch) accepted. */
  maxMessageSize: number;
  messageIndexEnable: boolean;
  maxHashSlotNum: number;
  maxIndexNum: number;
  /** queryMessage returns at most this many messages. */
  maxMsgsNumBatch: number;
  /** Hours a CommitLog segment is kept after its last write. */
  fileReservedTime: number;
  /** Hours of the day ("04", or "04;05") when expired segments are deleted. */
  deleteWhen: string;
  /** Above this disk usage (%) expired segments are deleted at any hour. */
  diskMaxUsedSpaceRatio: number;
  /** Above this disk usage (%) the oldest segments are deleted even if not expired. */
  diskSpaceCleanForciblyRatio: number;
  /** How often the retention check runs (ms). */
  cleanResourceInterval: number;
  /** At most this many segments are deleted per retention pass. */
  deleteFileBatchMax: number;
  /** Recovery recomputes each record's body CRC. */
  checkCRCOnRecover: boolean;
  /** Newest CommitLog data kept in memory for fast pulls (bytes). */
  hotCacheBytes: number;
  /** CommitLog in-memory chunk size; a commit writes at most one chunk per call. */
  writeChunkSize: number;
  /** ConsumeQueue data kept in memory (bytes), shared by all queues. */
  consumeQueueCacheBytes: number;
  maxTransferBytesOnMessageInMemory: number;
  maxTransferCountOnMessageInMemory: number;
  maxTransferBytesOnMessageInDisk: number;
  maxTransferCountOnMessageInDisk: number;
  /** This broker's address as written into every record (STOREHOST) and into offset msgIds. */
  storeHost: SocketAddress;
  tagsCodeResolver?: TagsCodeResolver;
}

const MiB = 1024 * 1024;

export const DEFAULT_MESSAGE_STORE_CONFIG: Omit<MessageStoreConfig, 'storePathRootDir'> = {
  mappedFileSizeCommitLog: 1024 * MiB,
  mappedFileSizeConsumeQueue: 300_000 * 20,
  flushDiskType: 'ASYNC_FLUSH',
  flushIntervalCommitLog: 500,
  flushIntervalConsumeQueue: 1000,
  syncFlushTimeout: 5000,
  maxMessageSize: 4 * MiB,
  messageIndexEnable: true,
  maxHashSlotNum: 500_000,
  maxIndexNum: 2_000_000,
  maxMsgsNumBatch: 64,
  fileReservedTime: 72,
  deleteWhen: '04',
  diskMaxUsedSpaceRatio: 75,
  diskSpaceCleanForciblyRatio: 85,
  cleanResourceInterval: 10_000,
  deleteFileBatchMax: 10,
  checkCRCOnRecover: true,
  hotCacheBytes: 256 * MiB,
  writeChunkSize: 4 * MiB,
  consumeQueueCacheBytes: 64 * MiB,
  maxTransferBytesOnMessageInMemory: 256 * 1024,
  maxTransferCountOnMessageInMemory: 32,
  maxTransferBytesOnMessageInDisk: 64 * 1024,
  maxTransferCountOnMessageInDisk: 8,
  storeHost: { host: '127.0.0.1', port: 10911 },
};

export type MessageStoreOptions = Partial<MessageStoreConfig> & { storePathRootDir: string };

export function resolveMessageStoreConfig(options: MessageStoreOptions): MessageStoreConfig {
  const config: MessageStoreConfig = { ...DEFAULT_MESSAGE_STORE_CONFIG, ...options };
  if (config.mappedFileSizeConsumeQueue % 20 !== 0 || config.mappedFileSizeConsumeQueue < 20) {
    throw new StoreError('INVALID_CONFIG', 'mappedFileSizeConsumeQueue must be a positive multiple of 20');
  }
  if (config.mappedFileSizeCommitLog < 1024) {
    throw new StoreError('INVALID_CONFIG', 'mappedFileSizeCommitLog must be at least 1 KiB');
  }
  if (config.writeChunkSize <= 0) throw new StoreError('INVALID_CONFIG', 'writeChunkSize must be positive');
  return config;
}
