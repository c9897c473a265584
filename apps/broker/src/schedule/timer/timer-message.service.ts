/**
 * TimerMessageService: delivers 5.x timer messages (RocketMQ's `TimerMessageStore`, simplified).
 *
 *   enqueue:  follow rmq_sys_wheel_timer queue 0 (woken by the store's arrival listener); each
 *             ConsumeQueue entry's tagsCode is its delivery time (TIMER_OUT_MS), so the wheel is
 *             filled without reading the CommitLog.
 *   dequeue:  a tick at every slot boundary advances the TimerWheel; each due message is copied into
 *             REAL_TOPIC / REAL_QID (timer request properties removed, TIMER_OUT_MS kept); a failed
 *             put goes back into the wheel as overdue and is retried 100 ms later.
 *
 * Precision: a message is delivered at its delivery time rounded down to timerPrecisionMs (default
 * 1000 ms; 100/200/500 allowed), i.e. up to one precision step early and a few ms late — never
 * after the requested time by more than the tick latency. Maximum delay: timerMaxDelaySec (default
 * 259200 s = 3 days); the wheel's window is 2 days and longer timers roll over (see timer-wheel.ts).
 *
 * Restart: config/timerCheckpoint.json holds `enqueueOffset` (timer-queue offset up to which entries
 * were in the wheel), `deliveredTime` (every entry at or before it that was in the wheel has been
 * delivered) and `safeOffset` (the lowest offset still pending). On start the wheel is rebuilt by
 * re-reading the queue from safeOffset, skipping entries below enqueueOffset that are due at or
 * before deliveredTime — they were delivered — and delivering whatever is overdue at once.
 * Delivery is at-least-once: the checkpoint is written every second and at shutdown, so a crash can
 * re-deliver what was delivered in the last second; a clean shutdown delivers nothing twice.
 * Runs only on a master (brokerId 0). TIMER_DEL_UNIQKEY (cancelling a timer) is not implemented.
 */
import * as path from 'node:path';
import { MessageConst } from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../../broker-logger';
import { JsonConfigFile, type MessageStore } from '../../store';
import { TIMER_TOPIC } from '../../topic/topic-validator';
import { isStored, messageTimeUp } from '../message-time-up';
import { type TimerEntry, TimerWheel } from './timer-wheel';

export type TimerStore = Pick<
  MessageStore,
  | 'getConsumeQueueEntry'
  | 'getMinOffsetInQueue'
  | 'getMaxOffsetInQueue'
  | 'lookMessageByOffset'
  | 'putMessage'
>;

export interface TimerMessageServiceOptions {
  store: TimerStore;
  precisionMs: number;
  storePathRootDir: string;
  logger: BrokerLogger;
  /** Default 1000 ms. */
  checkpointIntervalMillis?: number;
}

export interface TimerCheckpoint {
  enqueueOffset: number;
  deliveredTime: number;
  safeOffset: number;
}

const TIMER_QUEUE_ID = 0;
const RETRY_AFTER_FAILURE_MILLIS = 100;
const CHECKPOINT_INTERVAL_MILLIS = 1000;
/** The client's timer request is served once; a later resend must not be timed again. */
const REMOVED_ON_DELIVERY = [
  MessageConst.TIMER_DELIVER_MS,
  MessageConst.TIMER_DELAY_SEC,
  MessageConst.TIMER_DELAY_MS,
];

export class TimerMessageService {
  private wheel: TimerWheel | undefined;
  /** Timer-queue offset → delivery time of every entry not yet delivered (in the wheel or in flight). */
  private readonly pending = new Map<number, number>();
  private enqueueOffset = 0;
  private readonly file: JsonConfigFile<TimerCheckpoint>;
  private tickTimer: NodeJS.Timeout | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private active = false;

  constructor(private readonly options: TimerMessageServiceOptions) {
    this.file = new JsonConfigFile(
      path.join(options.storePathRootDir, 'config', 'timerCheckpoint.json'),
      options.logger,
    );
  }

  /** Rebuilds the wheel from the checkpoint and starts ticking. */
  start(): void {
    if (this.active) return;
    this.active = true;
    const checkpoint = this.file.load();
    const { precisionMs } = this.options;
    this.wheel = new TimerWheel(precisionMs, checkpoint?.deliveredTime ?? Date.now());
    this.rebuild(checkpoint);
    this.checkpointTimer = setInterval(
      () => void this.persist(),
      this.options.checkpointIntervalMillis ?? CHECKPOINT_INTERVAL_MILLIS,
    );
    this.kick();
  }

  private rebuild(checkpoint: TimerCheckpoint | undefined): void {
    const { store } = this.options;
    const min = store.getMinOffsetInQueue(TIMER_TOPIC, TIMER_QUEUE_ID);
    this.enqueueOffset = Math.max(checkpoint?.safeOffset ?? 0, min);
    let skipped = 0;
    this.enqueue((entry) => {
      const delivered =
        checkpoint !== undefined &&
        entry.queueOffset < checkpoint.enqueueOffset &&
        entry.deliverMs <= checkpoint.deliveredTime;
      if (delivered) skipped++;
      return !delivered;
    });
    this.options.logger.info('timer wheel rebuilt', { pending: this.pending.size, skipped, from: min });
  }

  /** The store's arrival listener: new timer-queue entries go into the wheel at once. */
  onMessageArriving(topic: string): void {
    if (topic !== TIMER_TOPIC || !this.active) return;
    this.enqueue();
    if (this.wheel?.hasOverdue) this.kick();
  }

  /** Moves timer-queue entries from enqueueOffset to the end into the wheel. */
  private enqueue(accept: (entry: TimerEntry) => boolean = () => true): void {
    const { store } = this.options;
    const wheel = this.wheel as TimerWheel;
    for (;;) {
      const cq = store.getConsumeQueueEntry(TIMER_TOPIC, TIMER_QUEUE_ID, this.enqueueOffset);
      if (!cq) return;
      const entry: TimerEntry = {
        queueOffset: this.enqueueOffset,
        commitLogOffset: cq.commitLogOffset,
        size: cq.size,
        deliverMs: cq.tagsCode,
      };
      if (accept(entry)) {
        wheel.add(entry);
        this.pending.set(entry.queueOffset, entry.deliverMs);
      }
      this.enqueueOffset++;
    }
  }

  /** Runs a tick now; if one is running, runs another right after it. */
  private kick(): void {
    if (!this.active) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    clearTimeout(this.tickTimer);
    this.ticking = this.tick().finally(() => (this.ticking = undefined));
  }

  private async tick(): Promise<void> {
    let failed = false;
    do {
      this.tickAgain = false;
      const due = (this.wheel as TimerWheel).advance(Date.now());
      for (const entry of due) {
        if (!this.active || !(await this.deliver(entry))) {
          (this.wheel as TimerWheel).add(entry);
          failed = true;
        }
      }
    } while (this.tickAgain && this.active);
    if (!this.active) return;
    const now = Date.now();
    const nextSlot = (Math.floor(now / this.options.precisionMs) + 1) * this.options.precisionMs;
    this.tickTimer = setTimeout(() => this.kick(), failed ? RETRY_AFTER_FAILURE_MILLIS : nextSlot - now);
  }

  /** true when the message is in its real topic (or cannot ever be delivered), false to retry. */
  private async deliver(entry: TimerEntry): Promise<boolean> {
    const { store, logger } = this.options;
    try {
      const waiting = store.lookMessageByOffset(entry.commitLogOffset);
      const message = waiting && messageTimeUp(waiting, REMOVED_ON_DELIVERY);
      if (!message) {
        logger.warn('timer message not found or without REAL_TOPIC, skipped', { ...entry });
        this.pending.delete(entry.queueOffset);
        return true;
      }
      const result = await store.putMessage(message);
      if (!isStored(result.status)) {
        logger.warn('timer message could not be re-put, will retry', { status: result.status });
        return false;
      }
      this.pending.delete(entry.queueOffset);
      return true;
    } catch (err) {
      logger.error('timer message delivery failed, will retry', { error: String(err) });
      return false;
    }
  }

  /** A consistent snapshot: taken synchronously, so no delivery interleaves with it. */
  checkpoint(): TimerCheckpoint {
    const wheelTime = this.wheel?.currentTime ?? 0;
    let deliveredTime = wheelTime;
    let safeOffset = this.enqueueOffset;
    for (const [offset, deliverMs] of this.pending) {
      if (offset < safeOffset) safeOffset = offset;
      // An overdue or in-flight entry is not delivered yet although the cursor passed its time.
      if (deliverMs <= wheelTime && deliverMs - 1 < deliveredTime) deliveredTime = deliverMs - 1;
    }
    return { enqueueOffset: this.enqueueOffset, deliveredTime, safeOffset };
  }

  persist(): Promise<void> {
    if (!this.wheel) return Promise.resolve();
    return this.file.persist(this.checkpoint()).catch((err: unknown) => {
      this.options.logger.error('could not persist timerCheckpoint.json', { error: String(err) });
    });
  }

  /** Timer messages waiting in the wheel, for the console. */
  get pendingCount(): number {
    return this.pending.size;
  }

  async shutdown(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    clearTimeout(this.tickTimer);
    clearInterval(this.checkpointTimer);
    await this.ticking;
    await this.persist();
  }
}
