/**
 * The most recently resolved half messages, by half queue offset and by UNIQ_KEY: our guard against
 * resolving one transaction twice. (Not a RocketMQ class: RocketMQ 4.x writes a second message when
 * the same COMMIT arrives twice.)
 *
 * Interview question: "消息重复怎么处理？如何保证幂等？(How are duplicates handled?)" — consumers
 * must be idempotent anyway, but the broker should not add duplicates of its own. A COMMIT can arrive
 * twice: the producer's oneway END_TRANSACTION and, later, its answer to a check-back; or the answer
 * for a half message that the check service has meanwhile renewed under a new offset. Both carry the
 * same UNIQ_KEY, so whichever comes second finds the transaction already resolved.
 *
 * The window is bounded (oldest entries leave first) and rebuilt at start-up from the tail of the op
 * queue, so it covers every resolution a producer could still plausibly repeat.
 */
export const DEFAULT_RESOLVED_WINDOW_SIZE = 10_000;

export class ResolvedHalfMessageWindow {
  /** half queue offset → UNIQ_KEY ('' when the message had none), in resolution order. */
  private readonly byOffset = new Map<number, string>();
  /** UNIQ_KEY → how many entries of `byOffset` carry it (renewed copies share the key). */
  private readonly byKey = new Map<string, number>();

  constructor(private readonly capacity = DEFAULT_RESOLVED_WINDOW_SIZE) {}

  get size(): number {
    return this.byOffset.size;
  }

  add(halfQueueOffset: number, uniqKey: string | undefined): void {
    if (this.byOffset.has(halfQueueOffset)) return;
    const key = uniqKey ?? '';
    this.byOffset.set(halfQueueOffset, key);
    if (key) this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
    if (this.byOffset.size > this.capacity) this.evictOldest();
  }

  isResolved(halfQueueOffset: number, uniqKey: string | undefined): boolean {
    if (this.byOffset.has(halfQueueOffset)) return true;
    return uniqKey !== undefined && uniqKey !== '' && this.byKey.has(uniqKey);
  }

  /** Undoes `add` when the outcome could not be stored after all. */
  forget(halfQueueOffset: number): void {
    const key = this.byOffset.get(halfQueueOffset);
    if (key === undefined) return;
    this.byOffset.delete(halfQueueOffset);
    this.releaseKey(key);
  }

  private evictOldest(): void {
    const oldest = this.byOffset.entries().next();
    if (oldest.done) return;
    const [offset, key] = oldest.value;
    this.byOffset.delete(offset);
    this.releaseKey(key);
  }

  private releaseKey(key: string): void {
    if (!key) return;
    const count = (this.byKey.get(key) ?? 1) - 1;
    if (count > 0) this.byKey.set(key, count);
    else this.byKey.delete(key);
  }
}
