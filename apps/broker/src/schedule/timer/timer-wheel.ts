/**
 * TimerWheel: a hashed timing wheel — the data structure behind 5.x timer messages (RocketMQ's
 * `TimerWheel`, which keeps it in a memory-mapped file). Time is cut into slots of `precisionMs`;
 * `slotCount` slots cover a rolling window (2 days by default). An entry due at T goes into slot
 * (T / precision) mod slotCount; a cursor walks the slots as time passes and hands out what is due.
 *
 * An entry further ahead than the window shares its slot with nearer ones and simply stays there
 * when the cursor passes before its time — it "rolls over" for another turn of the wheel (RocketMQ
 * instead re-puts such a message into the timer topic with TIMER_ROLL_TIMES + 1). So adding and
 * removing are O(1), and each tick looks at one slot instead of every pending timer.
 *
 * Interview question: "延迟消息可以精确到毫秒吗？" (Can delayed messages be precise to the
 * millisecond?) — with 5.x timer messages the time is arbitrary, but delivery is only as precise as
 * a slot: the message waits in rmq_sys_wheel_timer and is re-put when its slot comes up.
 *
 * This class is pure bookkeeping (no timers, no I/O); TimerMessageService drives it.
 */

export interface TimerEntry {
  /** Offset in the timer topic's ConsumeQueue (what the checkpoint counts). */
  queueOffset: number;
  commitLogOffset: number;
  size: number;
  /** Delivery time, already rounded to the precision (TIMER_OUT_MS). */
  deliverMs: number;
}

export const DEFAULT_TIMER_ROLL_WINDOW_MILLIS = 2 * 24 * 3600 * 1000;

export class TimerWheel {
  readonly slotCount: number;
  /** Sparse: only slots holding entries exist, so 100 ms precision costs no 1.7-million-slot array. */
  private readonly slots = new Map<number, TimerEntry[]>();
  /** Entries added when their time had already passed; handed out by the next advance(). */
  private overdue: TimerEntry[] = [];
  private count = 0;
  /** Slot time up to which everything due has been handed out (a multiple of the precision). */
  private cursor: number;

  constructor(
    readonly precisionMs: number,
    startMs: number,
    windowMs: number = DEFAULT_TIMER_ROLL_WINDOW_MILLIS,
  ) {
    this.slotCount = Math.max(1, Math.floor(windowMs / precisionMs));
    this.cursor = this.slotTimeOf(startMs);
  }

  /** Everything due at or before this time has been handed out. */
  get currentTime(): number {
    return this.cursor;
  }

  get size(): number {
    return this.count;
  }

  get hasOverdue(): boolean {
    return this.overdue.length > 0;
  }

  add(entry: TimerEntry): void {
    this.count++;
    if (entry.deliverMs <= this.cursor) {
      this.overdue.push(entry);
      return;
    }
    const slot = this.slotIndexOf(entry.deliverMs);
    const list = this.slots.get(slot);
    if (list) list.push(entry);
    else this.slots.set(slot, [entry]);
  }

  /**
   * Moves the cursor to `now` and returns the entries now due: the overdue ones, then slot by slot.
   * After a long pause at most one full turn is walked — that visits every slot once, which finds
   * every due entry.
   */
  advance(now: number): TimerEntry[] {
    const due = this.overdue;
    this.overdue = [];
    const target = this.slotTimeOf(now);
    const steps = Math.min((target - this.cursor) / this.precisionMs, this.slotCount);
    for (let i = steps - 1; i >= 0; i--) this.takeDue(target - i * this.precisionMs, now, due);
    if (target > this.cursor) this.cursor = target;
    this.count -= due.length;
    return due;
  }

  private takeDue(slotTime: number, now: number, due: TimerEntry[]): void {
    const slot = this.slotIndexOf(slotTime);
    const list = this.slots.get(slot);
    if (!list) return;
    const later = list.filter((entry) => entry.deliverMs > now);
    for (const entry of list) if (entry.deliverMs <= now) due.push(entry);
    if (later.length === 0) this.slots.delete(slot);
    else this.slots.set(slot, later);
  }

  private slotTimeOf(ms: number): number {
    return Math.floor(ms / this.precisionMs) * this.precisionMs;
  }

  private slotIndexOf(ms: number): number {
    return Math.floor(ms / this.precisionMs) % this.slotCount;
  }
}
