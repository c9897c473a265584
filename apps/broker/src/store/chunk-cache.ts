/**
 * The "hot cache": which in-memory chunks of segment files stay resident.
 *
 * RocketMQ leaves this to the operating system: its segments are mmapped, and the page cache keeps
 * the newest pages in RAM, which is why a consumer that keeps up reads from memory. Node has no
 * mmap, so the store keeps recently written data in its own chunk buffers and this class bounds
 * their total size. Eviction is first-in first-out, not LRU, because in a message queue the newest
 * data is the hottest: consumers that keep up read what was just written; a consumer far behind
 * reads from disk, exactly the "message in disk" case RocketMQ throttles (§2.4 batch limits).
 *
 * A chunk whose bytes are not yet committed to the file cannot be evicted: it is the only copy.
 */
export type EvictOutcome = 'evicted' | 'pinned';

export interface ChunkOwner {
  /** Drops the chunk if its bytes are safely in the file; 'pinned' keeps it. */
  evictChunk(index: number): EvictOutcome;
}

export interface CachedChunk {
  readonly owner: ChunkOwner;
  readonly index: number;
  readonly size: number;
  /** false once the owner dropped the chunk itself (truncation, file deletion). */
  live: boolean;
}

export class ChunkCache {
  private residentBytes = 0;
  private readonly entries: CachedChunk[] = [];
  private head = 0;

  constructor(readonly budgetBytes: number) {}

  get bytes(): number {
    return this.residentBytes;
  }

  admit(owner: ChunkOwner, index: number, size: number): CachedChunk {
    const entry: CachedChunk = { owner, index, size, live: true };
    this.entries.push(entry);
    this.residentBytes += size;
    this.trim();
    return entry;
  }

  /** The owner dropped a chunk on its own; forget its bytes. */
  release(entry: CachedChunk): void {
    if (!entry.live) return;
    entry.live = false;
    this.residentBytes -= entry.size;
  }

  /** Evicts the oldest chunks until the budget holds or the oldest is still uncommitted. */
  trim(): void {
    while (this.residentBytes > this.budgetBytes && this.head < this.entries.length) {
      const entry = this.entries[this.head];
      if (entry.live && entry.owner.evictChunk(entry.index) === 'pinned') break;
      this.head++;
      this.release(entry);
    }
    this.compact();
  }

  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.entries.length) return;
    this.entries.splice(0, this.head);
    this.head = 0;
  }
}
