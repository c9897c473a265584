/**
 * The consumer's per-queue buffer (`ProcessQueue`): messages pulled but not yet consumed, in offset
 * order, with the counters flow control needs.
 *
 * Interview question: "Why can a RocketMQ consumer get a message twice, and which offset does it
 * commit?" — consumption is concurrent, so message 105 may finish before 101; the consumer may only
 * commit up to the smallest offset still being processed (or max + 1 once the buffer is empty).
 * After a crash or a rebalance everything from that offset is delivered again: at-least-once.
 */
import { type MessageExt } from './message';

export class ProcessQueue {
  /** Set when a rebalance gave the queue to another consumer: stop pulling, do not commit. */
  dropped = false;
  lastPullTimestamp = Date.now();
  private readonly messages = new Map<number, MessageExt>();
  /** Offsets in arrival order (ascending: pulls of one queue are sequential), consumed lazily from `head`. */
  private offsets: number[] = [];
  private head = 0;
  private bytes = 0;
  private maxOffset = -1;

  get msgCount(): number {
    return this.messages.size;
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

  clear(): void {
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
