/**
 * MessageStore: the broker's storage engine, one facade over RocketMQ's store design
 * (`DefaultMessageStore`). Everything else in this directory is an internal collaborator:
 *
 *   putMessage ──► CommitLog (append in memory) ──► FlushRealTimeService / GroupCommitService
 *                      │                              (write + fsync, async or group commit)
 *                      └─► ReputMessageService ──► ConsumeQueue, IndexFile, arrival listener
 *   getMessage ──► ConsumeQueue entries ──► CommitLog records (memory or disk)
 *
 * Interview question: "Walk me through a message's life in the broker." — put appends a record
 * to the CommitLog and gets its physical and queue offsets; the dispatcher (reput) adds a
 * ConsumeQueue entry and index keys and wakes waiting pulls; a pull reads ConsumeQueue entries and
 * returns the raw records; flush makes them durable; retention deletes whole old segments; after
 * a crash, recovery cuts the torn tail and re-dispatches.
 */
import * as fs from 'node:fs';
import {
  createOffsetMessageId,
  decodeStoredMessage,
  encodeProperties,
  MessageConst,
  MessageFormatError,
  type MessageRecord,
  MessageSysFlag,
  readInt64BE,
  splitKeys,
  storedMessageLengthOf,
  storeTimestampOffset,
  StoredMessageLayout,
  transactionType,
} from './protocol';
import { ChunkCache } from './chunk-cache';
import { CleanCommitLogService } from './clean-commit-log.service';
import { CommitLog } from './commit-log';
import { type ConsumeQueue } from './consume-queue';
import { ConsumeQueueStore } from './consume-queue-store';
import { type DispatchRequest } from './dispatch-request';
import { FlushConsumeQueueService } from './flush-consume-queue.service';
import { FlushRealTimeService } from './flush-real-time.service';
import { emptyResult, getMessageFromQueue } from './get-message';
import { type GetMessageResult, GetMessageStatus, type MessageFilter } from './get-message-result';
import { GroupCommitService } from './group-commit.service';
import { IndexService } from './index-service';
import {
  type MessageStoreConfig,
  type MessageStoreOptions,
  resolveMessageStoreConfig,
} from './message-store.config';
import { type PutMessageResult, PutMessageStatus } from './put-message-result';
import { ReputMessageService } from './reput-message.service';
import { StoreCheckpoint } from './store-checkpoint';
import { StorePaths } from './store-file-names';
import { type StoreLogger, silentLogger } from './store-logger';
import { recoverStore } from './store-recovery';

/** Called for each new ConsumeQueue entry; `maxOffset` is the queue's new max (entry offset + 1). */
export type MessageArrivingListener = (
  topic: string,
  queueId: number,
  maxOffset: number,
  tagsCode: number,
  storeTimestamp: number,
  properties: Record<string, string>,
) => void;

export interface QueryMessageResult {
  messages: Buffer[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

export interface StoreRuntimeInfo {
  minPhysicalOffset: number;
  maxPhysicalOffset: number;
  committedPhysicalOffset: number;
  flushedPhysicalOffset: number;
  reputFromOffset: number;
  dispatchBehindBytes: number;
  commitLogFsyncCount: number;
  groupCommitRounds: number;
  putMessageTimesTotal: number;
  putMessageSizeTotal: number;
  putMessageFailedTimes: number;
  hotCacheBytes: number;
  consumeQueueCount: number;
}

export interface DeleteExpiredFilesOptions {
  /** false: delete CommitLog segments only, leave ConsumeQueue/index cleanup for later. */
  cleanConsumeQueues?: boolean;
}

interface StoreParts {
  checkpoint: StoreCheckpoint;
  commitLog: CommitLog;
  consumeQueues: ConsumeQueueStore;
  index: IndexService;
  reputFrom: number;
}

const NOT_TYPE = MessageSysFlag.TRANSACTION_NOT_TYPE;
const COMMIT_TYPE = MessageSysFlag.TRANSACTION_COMMIT_TYPE;

function hasQueueOffset(sysFlag: number): boolean {
  const type = transactionType(sysFlag);
  return type === NOT_TYPE || type === COMMIT_TYPE;
}

export class MessageStore {
  private running = true;
  private readonly checkpoint: StoreCheckpoint;
  private readonly commitLog: CommitLog;
  private readonly consumeQueues: ConsumeQueueStore;
  private readonly index: IndexService;
  private readonly reput: ReputMessageService;
  private readonly flushService: FlushRealTimeService | undefined;
  private readonly groupCommit: GroupCommitService | undefined;
  private readonly logicsFlush: FlushConsumeQueueService;
  private readonly cleanService: CleanCommitLogService;
  /** "topic-queueId" → next queue offset (RocketMQ's topicQueueTable). */
  private readonly queueOffsets = new Map<string, number>();
  private arrivingListener: MessageArrivingListener | undefined;
  /** Set once replicated bytes were appended: this store is (or was) a slave. */
  private replicating = false;
  private putMessageTimesTotal = 0;
  private putMessageSizeTotal = 0;
  private putMessageFailedTimes = 0;

  private constructor(
    readonly config: MessageStoreConfig,
    private readonly logger: StoreLogger,
    parts: StoreParts,
  ) {
    this.checkpoint = parts.checkpoint;
    this.commitLog = parts.commitLog;
    this.consumeQueues = parts.consumeQueues;
    this.index = parts.index;
    this.reput = new ReputMessageService(
      this.commitLog,
      [(r) => this.buildConsumeQueue(r), (r) => this.index.buildIndex(r), (r) => this.notifyArriving(r)],
      parts.reputFrom,
      logger,
      config.tagsCodeResolver,
      config.maxMessageSize * 2,
    );
    const log = this.commitLog.queue;
    const onFlushed = () => this.recordFlushInCheckpoint();
    if (config.flushDiskType === 'SYNC_FLUSH') {
      this.groupCommit = new GroupCommitService(log, config.syncFlushTimeout, logger, onFlushed);
    } else {
      this.flushService = new FlushRealTimeService(log, config.flushIntervalCommitLog, logger, onFlushed);
    }
    this.logicsFlush = new FlushConsumeQueueService(
      this.consumeQueues,
      this.index,
      this.reput,
      this.checkpoint,
      config.flushIntervalConsumeQueue,
      logger,
    );
    this.cleanService = new CleanCommitLogService(
      config,
      this.commitLog,
      () => this.cleanConsumeQueues(),
      logger,
    );
  }

  /** Loads the store directory, recovers it, re-dispatches what is missing and starts the services. */
  static async open(options: MessageStoreOptions, logger: StoreLogger = silentLogger): Promise<MessageStore> {
    const config = resolveMessageStoreConfig(options);
    const root = config.storePathRootDir;
    fs.mkdirSync(root, { recursive: true });
    const abnormal = fs.existsSync(StorePaths.abort(root));

    const checkpoint = StoreCheckpoint.open(StorePaths.checkpoint(root));
    const commitLog = new CommitLog(config, new ChunkCache(config.hotCacheBytes), logger);
    const consumeQueues = new ConsumeQueueStore(config, logger);
    const index = new IndexService(config, logger);
    try {
      commitLog.load();
      consumeQueues.load();
      index.load();
    } catch (err) {
      commitLog.close();
      consumeQueues.close();
      index.close();
      checkpoint.close();
      throw err;
    }
    // Present from now until a clean shutdown: its presence at the next open means "crashed".
    fs.writeFileSync(StorePaths.abort(root), String(process.pid));

    const parts = { config, commitLog, consumeQueues, index, checkpoint, logger };
    const { reputFrom } = recoverStore(parts, abnormal);
    const store = new MessageStore(config, logger, { ...parts, reputFrom });
    store.reput.catchUp();
    store.rebuildQueueOffsets();
    store.start();
    await store.logicsFlush.flush();
    logger.info(
      `message store open at ${root}: ${store.getMinPhysicalOffset()}..${store.getMaxPhysicalOffset()}`,
    );
    return store;
  }

  private start(): void {
    this.flushService?.start();
    this.logicsFlush.start();
    this.cleanService.start();
  }

  /** Flushes and persists everything, removes the abort marker. Later puts get SERVICE_NOT_AVAILABLE. */
  /** False once shutdown has begun; readers must not interpret lookups after that. */
  get isRunning(): boolean {
    return this.running;
  }

  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.cleanService.stop();
    this.reput.catchUp();
    this.reput.stop();
    await this.flushService?.shutdown();
    await this.groupCommit?.shutdown();
    await this.logicsFlush.shutdown();
    this.commitLog.close();
    this.consumeQueues.close();
    this.index.close();
    this.checkpoint.close();
    fs.rmSync(StorePaths.abort(this.config.storePathRootDir), { force: true });
    this.logger.info('message store shut down cleanly');
  }

  // ---- put --------------------------------------------------------------------------------------

  /** Appends one message; queueOffset, commitLogOffset and storeTimestamp are assigned here. */
  putMessage(msg: MessageRecord): Promise<PutMessageResult> {
    if (!this.running) return Promise.resolve({ status: PutMessageStatus.SERVICE_NOT_AVAILABLE });
    const record = this.withStoreHost(msg);
    const encoded = this.measure(record);
    if (typeof encoded === 'string') return this.failed(encoded);
    const [properties, size] = encoded;

    const needsOffset = hasQueueOffset(record.sysFlag);
    const key = needsOffset ? `${record.topic}-${record.queueId}` : '';
    const queueOffset = needsOffset ? (this.queueOffsets.get(key) ?? 0) : 0;
    const storeTimestamp = Date.now();
    const wrote = this.commitLog.appendMessage(record, properties, size, queueOffset, storeTimestamp);
    if (typeof wrote === 'string') return this.failed(wrote);
    if (needsOffset) this.queueOffsets.set(key, queueOffset + 1);

    const msgId = createOffsetMessageId(this.config.storeHost, wrote);
    const result: PutMessageResult = {
      status: PutMessageStatus.PUT_OK,
      appendResult: {
        wroteOffset: wrote,
        wroteBytes: size,
        msgId,
        msgIds: [msgId],
        queueOffset,
        msgNum: 1,
        storeTimestamp,
      },
    };
    return this.afterAppend(result, wrote + size, record.properties[MessageConst.WAIT] !== 'false');
  }

  /** Appends a batch for one topic and queue contiguously, with consecutive queue offsets. */
  putMessages(batch: readonly MessageRecord[]): Promise<PutMessageResult> {
    if (!this.running) return Promise.resolve({ status: PutMessageStatus.SERVICE_NOT_AVAILABLE });
    if (batch.length === 0) return this.failed(PutMessageStatus.MESSAGE_ILLEGAL);
    const first = batch[0];
    const records = batch.map((m) => this.withStoreHost(m));
    const properties: string[] = [];
    const sizes: number[] = [];
    for (const record of records) {
      if (record.topic !== first.topic || record.queueId !== first.queueId) {
        return this.failed(PutMessageStatus.MESSAGE_ILLEGAL);
      }
      const encoded = this.measure(record);
      if (typeof encoded === 'string') return this.failed(encoded);
      properties.push(encoded[0]);
      sizes.push(encoded[1]);
    }
    const total = sizes.reduce((sum, size) => sum + size, 0);
    if (total > this.config.maxMessageSize) return this.failed(PutMessageStatus.MESSAGE_ILLEGAL);

    const needsOffset = hasQueueOffset(first.sysFlag);
    const key = `${first.topic}-${first.queueId}`;
    const queueOffset = needsOffset ? (this.queueOffsets.get(key) ?? 0) : 0;
    const storeTimestamp = Date.now();
    const wrote = this.commitLog.appendBatch(records, properties, sizes, queueOffset, storeTimestamp);
    if (typeof wrote === 'string') return this.failed(wrote);
    if (needsOffset) this.queueOffsets.set(key, queueOffset + records.length);

    const msgIds: string[] = [];
    for (let i = 0, at = wrote; i < sizes.length; at += sizes[i], i++) {
      msgIds.push(createOffsetMessageId(this.config.storeHost, at));
    }
    const result: PutMessageResult = {
      status: PutMessageStatus.PUT_OK,
      appendResult: {
        wroteOffset: wrote,
        wroteBytes: total,
        msgId: msgIds.join(','),
        msgIds,
        queueOffset,
        msgNum: records.length,
        storeTimestamp,
      },
    };
    return this.afterAppend(result, wrote + total, first.properties[MessageConst.WAIT] !== 'false');
  }

  /** Every record carries this broker's address as STOREHOST. */
  private withStoreHost(msg: MessageRecord): MessageRecord {
    const host = this.config.storeHost;
    if (msg.storeHost && msg.storeHost.host === host.host && msg.storeHost.port === host.port) return msg;
    return { ...msg, storeHost: host };
  }

  /** [properties string, record size], or the status that rejects the message. */
  private measure(record: MessageRecord): [string, number] | PutMessageStatus {
    if (!Number.isInteger(record.queueId) || record.queueId < 0) return PutMessageStatus.MESSAGE_ILLEGAL;
    try {
      const properties = encodeProperties(record.properties);
      const size = storedMessageLengthOf(record, properties);
      if (size > this.config.maxMessageSize) return PutMessageStatus.MESSAGE_ILLEGAL;
      return [properties, size];
    } catch (err) {
      if (!(err instanceof MessageFormatError)) return PutMessageStatus.UNKNOWN_ERROR;
      return err.reason === 'PROPERTIES_TOO_LONG'
        ? PutMessageStatus.PROPERTIES_SIZE_EXCEEDED
        : PutMessageStatus.MESSAGE_ILLEGAL;
    }
  }

  private failed(status: PutMessageStatus): Promise<PutMessageResult> {
    this.putMessageFailedTimes++;
    return Promise.resolve({ status });
  }

  /** Wakes the dispatcher and the flusher; under SYNC_FLUSH waits for the fsync (unless WAIT=false). */
  private afterAppend(
    result: PutMessageResult,
    nextOffset: number,
    wait: boolean,
  ): Promise<PutMessageResult> {
    this.putMessageTimesTotal += result.appendResult?.msgNum ?? 0;
    this.putMessageSizeTotal += result.appendResult?.wroteBytes ?? 0;
    this.reput.wakeup();
    if (this.flushService) {
      this.flushService.wakeup();
      return Promise.resolve(result);
    }
    const groupCommit = this.groupCommit as GroupCommitService;
    if (!wait) {
      groupCommit.wakeup();
      return Promise.resolve(result);
    }
    return groupCommit
      .request(nextOffset)
      .then((flushed) => (flushed ? result : { ...result, status: PutMessageStatus.FLUSH_DISK_TIMEOUT }));
  }

  // ---- get --------------------------------------------------------------------------------------

  /**
   * Reads up to `maxMsgNums` raw records of one queue from `offset`, following RocketMQ's status
   * and nextBeginOffset rules. `_group` is accepted for parity with RocketMQ (it only matters for
   * statistics there).
   * Check `isRunning` first: after shutdown every queue looks missing (NO_MATCHED_LOGIC_QUEUE), which
   * a consumer would take as "your offset is wrong".
   */
  getMessage(
    _group: string,
    topic: string,
    queueId: number,
    offset: number,
    maxMsgNums: number,
    filter?: MessageFilter,
  ): GetMessageResult {
    const queue = this.running ? this.consumeQueues.find(topic, queueId) : undefined;
    if (!queue) return emptyResult(GetMessageStatus.NO_MATCHED_LOGIC_QUEUE, 0, 0, 0);
    return getMessageFromQueue(this.config, this.commitLog, queue, offset, maxMsgNums, filter);
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.consumeQueues.find(topic, queueId)?.getMaxOffsetInQueue() ?? 0;
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.consumeQueues.find(topic, queueId)?.getMinOffsetInQueue() ?? 0;
  }

  /** Store time of the message at `offset` in the queue; -1 if there is none. */
  getMessageStoreTimestamp(topic: string, queueId: number, offset: number): number {
    const entry = this.consumeQueues.find(topic, queueId)?.getEntry(offset);
    return entry ? this.storeTimestampAt(entry.commitLogOffset) : -1;
  }

  /**
   * One ConsumeQueue entry (commit-log offset, size, tagsCode), or undefined past the end. The
   * schedule and timer services read delivery times from tagsCode without touching the CommitLog.
   */
  getConsumeQueueEntry(
    topic: string,
    queueId: number,
    offset: number,
  ): { commitLogOffset: number; size: number; tagsCode: number } | undefined {
    return this.consumeQueues.find(topic, queueId)?.getEntry(offset);
  }

  getEarliestMessageTime(topic: string, queueId: number): number {
    return this.getMessageStoreTimestamp(topic, queueId, this.getMinOffsetInQueue(topic, queueId));
  }

  /**
   * The queue offset whose message was stored closest to `timestamp` (an exact match gives the
   * lowest offset with that time), found by binary search over store times
   * (SEARCH_OFFSET_BY_TIMESTAMP).
   */
  getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number): number {
    const queue = this.consumeQueues.find(topic, queueId);
    if (!queue) return 0;
    const min = queue.getMinOffsetInQueue();
    const max = queue.getMaxOffsetInQueue();
    if (max <= min) return min;
    const timeAt = (offset: number) => this.storeTimestampOfEntry(queue, offset);
    let low = min;
    let high = max - 1;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (timeAt(mid) < timestamp) low = mid + 1;
      else high = mid;
    }
    const at = timeAt(low);
    if (low === min || at <= timestamp) return low;
    return timestamp - timeAt(low - 1) < at - timestamp ? low - 1 : low;
  }

  private storeTimestampOfEntry(queue: ConsumeQueue, offset: number): number {
    const entry = queue.getEntry(offset);
    return entry ? this.storeTimestampAt(entry.commitLogOffset) : -1;
  }

  private storeTimestampAt(commitLogOffset: number): number {
    const header = this.commitLog.getMessage(commitLogOffset, StoredMessageLayout.FIXED_LENGTH);
    if (!header) return -1;
    const sysFlag = header.readInt32BE(StoredMessageLayout.SYS_FLAG);
    return readInt64BE(header, storeTimestampOffset(sysFlag));
  }

  /** The raw record at a physical offset (VIEW_MESSAGE_BY_ID), or undefined. */
  selectOneMessageByOffset(commitLogOffset: number): Buffer | undefined {
    const record = this.commitLog.readRecord(commitLogOffset);
    if (!record) return undefined;
    const decoded = decodeStoredMessage(record, 0, { readBody: false });
    return decoded.status === 'OK' && decoded.message.commitLogOffset === commitLogOffset
      ? record
      : undefined;
  }

  /** The decoded message at a physical offset; its body is a read-only view into store memory. */
  lookMessageByOffset(commitLogOffset: number): MessageRecord | undefined {
    const record = this.selectOneMessageByOffset(commitLogOffset);
    if (!record) return undefined;
    const decoded = decodeStoredMessage(record, 0);
    return decoded.status === 'OK' ? decoded.message : undefined;
  }

  /**
   * Messages of `topic` whose KEYS contain `key` or whose UNIQ_KEY is `key`, stored in
   * [begin, end], newest first. Hash collisions are weeded out by re-checking the real key.
   */
  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult {
    const found = this.index.queryOffset(topic, key, maxNum, begin, end);
    const messages: Buffer[] = [];
    for (const offset of found.phyOffsets) {
      const record = this.commitLog.readRecord(offset);
      if (record && recordMatchesKey(record, topic, key)) messages.push(record);
    }
    return {
      messages,
      indexLastUpdateTimestamp: found.indexLastUpdateTimestamp,
      indexLastUpdatePhyoffset: found.indexLastUpdatePhyoffset,
    };
  }

  /** Topic → queue ids that have a ConsumeQueue. */
  getConsumeQueueTopics(): Map<string, number[]> {
    return this.consumeQueues.topics();
  }

  setMessageArrivingListener(listener: MessageArrivingListener | undefined): void {
    this.arrivingListener = listener;
  }

  /** Resolves once everything appended so far is visible through ConsumeQueues and the index. */
  whenDispatched(): Promise<void> {
    return this.reput.whenDispatched();
  }

  // ---- dispatchers (called by reput) ------------------------------------------------------------

  private buildConsumeQueue(request: DispatchRequest): void {
    if (!hasQueueOffset(request.sysFlag)) return;
    const queue = this.consumeQueues.findOrCreate(request.topic, request.queueId);
    queue.putEntry(request.commitLogOffset, request.msgSize, request.tagsCode, request.consumeQueueOffset);
    if (!this.replicating) return;
    // On a slave nothing is put locally: the table follows what replication delivered.
    const key = `${request.topic}-${request.queueId}`;
    const next = request.consumeQueueOffset + 1;
    if ((this.queueOffsets.get(key) ?? 0) < next) this.queueOffsets.set(key, next);
  }

  private notifyArriving(request: DispatchRequest): void {
    if (!this.arrivingListener || !hasQueueOffset(request.sysFlag)) return;
    this.arrivingListener(
      request.topic,
      request.queueId,
      request.consumeQueueOffset + 1,
      request.tagsCode,
      request.storeTimestamp,
      request.properties,
    );
  }

  private rebuildQueueOffsets(): void {
    this.queueOffsets.clear();
    for (const queue of this.consumeQueues.all()) {
      this.queueOffsets.set(`${queue.topic}-${queue.queueId}`, queue.getMaxOffsetInQueue());
    }
  }

  private recordFlushInCheckpoint(): void {
    const log = this.commitLog.queue;
    this.checkpoint.physicFlushedOffset = log.flushedWhere;
    if (log.flushedStoreTimestamp > 0) this.checkpoint.physicMsgTimestamp = log.flushedStoreTimestamp;
  }

  // ---- retention --------------------------------------------------------------------------------

  /**
   * Deletes CommitLog segments older than fileReservedTime as of `now`, whatever the hour, then
   * the ConsumeQueue segments and IndexFiles that only point below the new minimum offset.
   */
  deleteExpiredFiles(now = Date.now(), options: DeleteExpiredFilesOptions = {}): number {
    const deleted = this.cleanService.deleteExpiredFiles(now);
    if (deleted > 0 && options.cleanConsumeQueues !== false) this.cleanConsumeQueues();
    return deleted;
  }

  /** RocketMQ's CleanConsumeQueueService step. */
  cleanConsumeQueues(): void {
    const minOffset = this.commitLog.getMinOffset();
    this.consumeQueues.deleteExpired(minOffset);
    this.index.deleteExpiredFiles(minOffset);
  }

  // ---- replication (HA) -------------------------------------------------------------------------

  /** Raw CommitLog bytes from any offset, up to `maxBytes`, stopping at a segment end. */
  getCommitLogData(fromPhysicalOffset: number, maxBytes: number): Buffer | undefined {
    return this.commitLog.getData(fromPhysicalOffset, maxBytes);
  }

  /** A slave appends bytes received from its master; `startOffset` must equal our max offset. */
  appendRawCommitLogData(startOffset: number, data: Buffer): boolean {
    if (!this.running) return false;
    const wasEmpty = this.commitLog.queue.getLastMappedFile() === undefined;
    if (!this.commitLog.appendRaw(startOffset, data)) return false;
    this.replicating = true;
    // A fresh slave may start at the master's current segment rather than at 0.
    if (wasEmpty) this.reput.reputFromOffset = startOffset;
    this.reput.wakeup();
    this.flushService?.wakeup();
    this.groupCommit?.wakeup();
    return true;
  }

  getMaxPhysicalOffset(): number {
    return this.commitLog.getMaxOffset();
  }

  getMinPhysicalOffset(): number {
    return this.commitLog.getMinOffset();
  }

  getFlushedPhysicalOffset(): number {
    return this.commitLog.getFlushedWhere();
  }

  getRuntimeInfo(): StoreRuntimeInfo {
    const log = this.commitLog.queue;
    return {
      minPhysicalOffset: this.getMinPhysicalOffset(),
      maxPhysicalOffset: this.getMaxPhysicalOffset(),
      committedPhysicalOffset: log.committedWhere,
      flushedPhysicalOffset: log.flushedWhere,
      reputFromOffset: this.reput.reputFromOffset,
      dispatchBehindBytes: this.reput.behind(),
      commitLogFsyncCount: log.fsyncCount,
      groupCommitRounds: this.groupCommit?.rounds ?? 0,
      putMessageTimesTotal: this.putMessageTimesTotal,
      putMessageSizeTotal: this.putMessageSizeTotal,
      putMessageFailedTimes: this.putMessageFailedTimes,
      hotCacheBytes: this.config.hotCacheBytes,
      consumeQueueCount: this.consumeQueues.all().length,
    };
  }
}

function recordMatchesKey(record: Buffer, topic: string, key: string): boolean {
  const decoded = decodeStoredMessage(record, 0, { readBody: false });
  if (decoded.status !== 'OK' || decoded.message.topic !== topic) return false;
  const props = decoded.message.properties;
  if (props[MessageConst.UNIQ_KEY] === key) return true;
  const keys = props[MessageConst.KEYS];
  return keys !== undefined && splitKeys(keys).includes(key);
}
