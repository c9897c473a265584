/**
 * The read side of a pull (RocketMQ's `DefaultMessageStore.getMessage`): check the requested
 * offset against the queue, walk ConsumeQueue entries, filter by tagsCode, and collect the raw
 * CommitLog records until a batch limit is hit.
 *
 * Interview question: "Why can a broker serve pulls so cheaply?" — a pull is two sequential reads:
 * a run of 20-byte ConsumeQueue entries, then the records they point to, returned byte-for-byte as
 * stored (no re-encoding); both are usually still in memory because consumers read what was just
 * written. Filtering by tag compares hashes in the ConsumeQueue, so skipped messages cost nothing.
 */
import { type CommitLog } from './commit-log';
import { type ConsumeQueue, CQ_STORE_UNIT_SIZE } from './consume-queue';
import { type GetMessageResult, GetMessageStatus, type MessageFilter } from './get-message-result';
import { readInt64BE } from './protocol';
import { type MessageStoreConfig } from './message-store.config';

/** How far past the request the ConsumeQueue scan may go: max(16000, maxMsgNums × 20) bytes. */
function maxScanEntries(maxMsgNums: number): number {
  return Math.max(16000, maxMsgNums * CQ_STORE_UNIT_SIZE) / CQ_STORE_UNIT_SIZE;
}

export function emptyResult(
  status: GetMessageStatus,
  next: number,
  min: number,
  max: number,
): GetMessageResult {
  return {
    status,
    nextBeginOffset: next,
    minOffset: min,
    maxOffset: max,
    messages: [],
    bufferTotalSize: 0,
    messageQueueOffsets: [],
  };
}

/** The status table of rocketmq-facts.md §2.4 for a queue that exists. */
export function getMessageFromQueue(
  config: MessageStoreConfig,
  commitLog: CommitLog,
  queue: ConsumeQueue,
  offset: number,
  maxMsgNums: number,
  filter?: MessageFilter,
): GetMessageResult {
  const min = queue.getMinOffsetInQueue();
  const max = queue.getMaxOffsetInQueue();
  if (max === 0) return emptyResult(GetMessageStatus.NO_MESSAGE_IN_QUEUE, 0, min, max);
  if (offset < min) return emptyResult(GetMessageStatus.OFFSET_TOO_SMALL, min, min, max);
  if (offset === max) return emptyResult(GetMessageStatus.OFFSET_OVERFLOW_ONE, offset, min, max);
  if (offset > max) return emptyResult(GetMessageStatus.OFFSET_OVERFLOW_BADLY, max, min, max);

  const entries = queue.getEntries(offset, maxScanEntries(maxMsgNums));
  if (!entries) return emptyResult(GetMessageStatus.OFFSET_FOUND_NULL, queue.rollNextFile(offset), min, max);
  return collect(config, commitLog, entries, offset, maxMsgNums, filter, min, max);
}

function collect(
  config: MessageStoreConfig,
  commitLog: CommitLog,
  entries: Buffer,
  offset: number,
  maxMsgNums: number,
  filter: MessageFilter | undefined,
  min: number,
  max: number,
): GetMessageResult {
  const result = emptyResult(GetMessageStatus.NO_MATCHED_MESSAGE, offset, min, max);
  let skipBelow = -1;
  let pos = 0;
  for (; pos + CQ_STORE_UNIT_SIZE <= entries.length; pos += CQ_STORE_UNIT_SIZE) {
    const phyOffset = readInt64BE(entries, pos);
    const size = entries.readInt32BE(pos + 8);
    if (phyOffset < skipBelow) continue;
    const inMemory = commitLog.isInMemory(phyOffset);
    if (isBatchFull(config, result, size, maxMsgNums, inMemory)) break;
    if (filter && !filter(readInt64BE(entries, pos + 12))) continue;

    const record = commitLog.getMessage(phyOffset, size);
    if (!record) {
      // The segment is gone (retention): skip every entry that pointed into it.
      if (result.bufferTotalSize === 0) result.status = GetMessageStatus.MESSAGE_WAS_REMOVING;
      skipBelow = commitLog.rollNextFile(phyOffset);
      continue;
    }
    result.messages.push(record);
    result.messageQueueOffsets.push(offset + pos / CQ_STORE_UNIT_SIZE);
    result.bufferTotalSize += size;
    result.status = GetMessageStatus.FOUND;
    skipBelow = -1;
  }
  result.nextBeginOffset = offset + pos / CQ_STORE_UNIT_SIZE;
  return result;
}

/** RocketMQ's `isTheBatchFull`: fewer, smaller batches when the data must come from disk. */
function isBatchFull(
  config: MessageStoreConfig,
  result: GetMessageResult,
  size: number,
  maxMsgNums: number,
  inMemory: boolean,
): boolean {
  const count = result.messages.length;
  if (count === 0) return false;
  if (count >= maxMsgNums) return true;
  if (inMemory) {
    return (
      result.bufferTotalSize + size > config.maxTransferBytesOnMessageInMemory ||
      count >= config.maxTransferCountOnMessageInMemory
    );
  }
  return (
    result.bufferTotalSize + size > config.maxTransferBytesOnMessageInDisk ||
    count >= config.maxTransferCountOnMessageInDisk
  );
}
