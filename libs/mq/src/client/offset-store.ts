/**
 * Where a consumer keeps its progress (`OffsetStore`): on the broker for clustering groups
 * (RemoteBrokerOffsetStore), in a local file for broadcasting ones (LocalFileOffsetStore).
 */
import { type MessageQueue } from './message';

/** MEMORY: only what this process knows; STORE: ask the store (broker or file); else memory first. */
export type ReadOffsetType = 'MEMORY' | 'STORE' | 'MEMORY_FIRST_THEN_STORE';

/** `readOffset` result when the store has no offset for the queue (fall back to consumeFromWhere). */
export const OFFSET_NOT_FOUND = -1;
/** `readOffset` result when the store could not be asked (network error): do not start the queue yet. */
export const OFFSET_READ_FAILED = -2;

export interface OffsetStore {
  load(): Promise<void>;
  /** increaseOnly: ignore values below the current one (a late, stale commit must not move it back). */
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** The in-memory offset, synchronously (-1 when unknown): what each pull request commits. */
  memoryOffset(mq: MessageQueue): number;
  /** Writes the offsets of `mqs` to the store (only those that changed since the last write). */
  persistAll(mqs: readonly MessageQueue[]): Promise<void>;
  persist(mq: MessageQueue): Promise<void>;
  removeOffset(mq: MessageQueue): void;
}
