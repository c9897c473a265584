/**
 * The consumer's per-queue buffer (`ProcessQueue`): messages pulled but not yet consumed, in offset
 * order, with the counters flow control needs.
 *
 * Interview question: "Why can a RocketMQ consumer get a message twice, and which offset does it
 * commit?" — consumption is concurrent, so message 105 may finish before 101; the consumer may only
 * commit up to the smallest offset still being processed (or max + 1 once the buffer is empty).
 * After a crash or a rebalance everything from that offset is delivered again: at-least-once.
 *
 * For orderly consumption ("顺序消息是如何实现的？" — how are ordered messages implemented?) the same
 * buffer hands out messages strictly in offset order (`takeMessages`), keeps the ones being consumed
 * aside until `commit` (offset = last taken + 1) or `makeMessagesToConsumeAgain` (a suspended batch
 * goes back to the front), and records whether this client holds the queue's broker lock.
 */
import { type MessageExt } from './message';

export class ProcessQueue {
  /** Set when a rebalance gave the queue to another consumer: stop pulling, do not commit. */
  dropped = false;
  lastPullTimestamp = Date.now();
  /** Orderly: this client holds the queue's lock on the broker (LOCK_BATCH_MQ granted it). */
  locked = false;
  /** Orderly: when the broker last granted or renewed the lock. */
  lastLockTimestamp = 0;
  private readonly messages = new Map<number, MessageExt>();
  /** Orderly: messages taken for the listener call in progress, by offset. */
  private readonly consuming = new Map<number, MessageExt>();
  /** Offsets in arrival order (ascending: pulls of one queue are sequential), consumed lazily from `head`. */
  private offsets: number[] = [];
  private head = 0;
  private bytes = 0;
  private maxOffset = -1;

  get msgCount(): number {
    return this.messages.size + this.consuming.size;
  }

  /** Orderly: true when our lock was not renewed for `maxLiveMillis` (the broker may have given it away). */
  isLockExpired(maxLiveMillis: number, now = Date.now()): boolean {
    return now - this.lastLockTimestamp > maxLiveMillis;
  }

  get msgSize(): number {
    return this.bytes;
  }

  /** The largest offset ever put here (-1 before the first message). */
  get queueOffsetMax(): number {
    return this.maxOffset;
  }

  putMessages(messages: readonly MessageExt[]): void {
    for (const message of messages) {
      const offset = message.queueOffset;
      if (this.messages.has(offset)) continue;
      this.messages.set(offset, message);
      if (offset > this.maxOffset) {
        this.offsets.push(offset);
        this.maxOffset = offset;
      } else {
        this.insertOutOfOrder(offset);
      }
      this.bytes += message.body.length;
    }
  }

  /**
   * Removes consumed messages and returns the offset that may now be committed: the smallest offset
   * still here, or max + 1 when nothing is left; -1 when the queue held nothing to begin with.
   */
  removeMessages(messages: readonly MessageExt[]): number {
    if (this.messages.size === 0) return -1;
    for (const message of messages) {
      const held = this.messages.get(message.queueOffset);
      if (held === undefined) continue;
      this.messages.delete(message.queueOffset);
      this.bytes -= held.body.length;
    }
    return this.messages.size === 0 ? this.maxOffset + 1 : this.minOffset();
  }

  /** The smallest offset still held (undefined when empty). */
  minOffset(): number {
    const offsets = this.offsets;
    while (this.head < offsets.length && !this.messages.has(offsets[this.head])) this.head++;
    if (this.head > 1024 && this.head * 2 > offsets.length) {
      this.offsets = offsets.slice(this.head);
      this.head = 0;
    }
    return this.head < this.offsets.length ? this.offsets[this.head] : this.maxOffset + 1;
  }

  /** The span between the oldest and the newest held message (Java's consumeConcurrentlyMaxSpan check). */
  maxSpan(): number {
    return this.messages.size === 0 ? 0 : this.maxOffset - this.minOffset();
  }

  /** Up to `limit` held messages, oldest (smallest offset) first. */
  oldestMessages(limit: number): MessageExt[] {
    const found: MessageExt[] = [];
    this.minOffset();
    for (let i = this.head; i < this.offsets.length && found.length < limit; i++) {
      const message = this.messages.get(this.offsets[i]);
      if (message !== undefined) found.push(message);
    }
    return found;
  }

  /** Orderly: takes the next `batchSize` messages in offset order for one listener call. */
  takeMessages(batchSize: number): MessageExt[] {
    const taken = this.oldestMessages(batchSize);
    for (const message of taken) {
      this.messages.delete(message.queueOffset);
      this.consuming.set(message.queueOffset, message);
    }
    // Move `head` past them, so that a batch put back is re-inserted in front of what is left.
    this.minOffset();
    return taken;
  }

  /** Orderly: the batch in progress succeeded; returns the offset to commit (-1 when none). */
  commit(): number {
    let last = -1;
    for (const [offset, message] of this.consuming) {
      if (offset > last) last = offset;
      this.bytes -= message.body.length;
    }
    this.consuming.clear();
    return last < 0 ? -1 : last + 1;
  }

  /** Orderly: the batch in progress is suspended; it goes back to the front to be consumed again. */
  makeMessagesToConsumeAgain(messages: readonly MessageExt[]): void {
    const sorted = [...messages].sort((a, b) => a.queueOffset - b.queueOffset);
    for (const message of sorted) {
      if (!this.consuming.delete(message.queueOffset)) continue;
      this.messages.set(message.queueOffset, message);
      this.insertOutOfOrder(message.queueOffset);
    }
  }

  clear(): void {
    this.consuming.clear();
    this.messages.clear();
    this.offsets = [];
    this.head = 0;
    this.bytes = 0;
  }

  /** Rare: a message with a lower offset than one already held (a re-pull after an offset reset). */
  private insertOutOfOrder(offset: number): void {
    const offsets = this.offsets;
    let index = offsets.length;
    while (index > this.head && offsets[index - 1] > offset) index--;
    offsets.splice(index, 0, offset);
  }
}
