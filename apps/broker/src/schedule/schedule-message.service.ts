/**
 * ScheduleMessageService: delivers delayed messages (RocketMQ 4.x, same name). SCHEDULE_TOPIC_XXXX
 * has one queue per delay level; one delivery task per level walks its queue from the offset saved
 * in config/delayOffset.json (`{"offsetTable":{"1":0,...}}`, written every flushDelayOffsetInterval
 * = 10 s and at shutdown). For the entry at that offset the ConsumeQueue's tagsCode is the delivery
 * time: not yet due → sleep until exactly then; due → load the message, put a copy into REAL_TOPIC /
 * REAL_QID without DELAY, advance. A failed put is retried after 100 ms (10 s after an exception).
 *
 * Interview question: "延迟消息可以精确到毫秒吗？" (Can delayed messages be precise to the
 * millisecond?) — the level is coarse, but the delivery is not late: RocketMQ re-checks every 100 ms;
 * here a task sleeps until the head entry's exact due time and the store's arrival listener wakes an
 * idle task the moment a new message lands in its queue, so a message is re-put within a few ms of
 * its due time (measured in delay-message.e2e-spec.ts) plus the consumer's pull latency.
 *
 * Guarantees: runs only on a master (brokerId 0). Delivery is at-least-once: the offset is persisted
 * after the puts, so a crash in between re-delivers up to 10 s of messages after a restart; a clean
 * shutdown waits for in-flight puts and persists, so nothing is delivered twice.
 */
import * as path from 'node:path';
import { MessageConst } from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import { JsonConfigFile, type MessageStore } from '../store';
import { RMQ_SYS_TRANS_HALF_TOPIC, SCHEDULE_TOPIC } from '../topic/topic-validator';
import type { DelayLevelTable } from './delay-level-table';
import { isStored, messageTimeUp } from './message-time-up';

export type ScheduleStore = Pick<
  MessageStore,
  'getConsumeQueueEntry' | 'getMinOffsetInQueue' | 'lookMessageByOffset' | 'putMessage'
>;

export interface ScheduleMessageServiceOptions {
  store: ScheduleStore;
  table: DelayLevelTable;
  storePathRootDir: string;
  flushDelayOffsetInterval: number;
  logger: BrokerLogger;
  /** Tasks start this long after start() (RocketMQ: 1000 ms, to let the broker settle). */
  firstDelayMillis?: number;
}

interface DelayOffsetFile {
  offsetTable: Record<string, number>;
}

const FIRST_DELAY_MILLIS = 1000;
const RETRY_AFTER_FAILURE_MILLIS = 100;
const RETRY_AFTER_EXCEPTION_MILLIS = 10_000;
/** An idle task also looks again this often, in case an arrival notification was missed. */
const IDLE_RECHECK_MILLIS = 1000;

export class ScheduleMessageService {
  /** Delay level → next SCHEDULE_TOPIC_XXXX queue offset to deliver. */
  private readonly offsetTable = new Map<number, number>();
  private readonly tasks: DeliverDelayedMessageTask[] = [];
  private readonly file: JsonConfigFile<DelayOffsetFile>;
  private firstTimer: NodeJS.Timeout | undefined;
  private persistTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly options: ScheduleMessageServiceOptions) {
    this.file = new JsonConfigFile(
      path.join(options.storePathRootDir, 'config', 'delayOffset.json'),
      options.logger,
    );
  }

  /** Reads delayOffset.json; levels not in it start at offset 0. */
  load(): void {
    const saved = this.file.load();
    for (const [level, offset] of Object.entries(saved?.offsetTable ?? {})) {
      if (Number.isInteger(Number(level)) && Number.isInteger(offset))
        this.offsetTable.set(Number(level), offset);
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (let level = 1; level <= this.options.table.maxLevel; level++) {
      const offset = this.offsetTable.get(level) ?? 0;
      this.offsetTable.set(level, offset);
      this.tasks.push(new DeliverDelayedMessageTask(this, level, offset));
    }
    this.firstTimer = setTimeout(() => {
      for (const task of this.tasks) task.start();
    }, this.options.firstDelayMillis ?? FIRST_DELAY_MILLIS);
    this.persistTimer = setInterval(() => void this.persist(), this.options.flushDelayOffsetInterval);
  }

  /** The store's arrival listener: a new message in level n's queue wakes task n if it is idle. */
  onMessageArriving(topic: string, queueId: number): void {
    if (topic !== SCHEDULE_TOPIC) return;
    this.tasks[queueId]?.wake();
  }

  async shutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    clearTimeout(this.firstTimer);
    clearInterval(this.persistTimer);
    await Promise.all(this.tasks.map((task) => task.stop()));
    await this.persist();
  }

  persist(): Promise<void> {
    const offsetTable = Object.fromEntries(
      [...this.offsetTable].map(([level, offset]) => [String(level), offset]),
    );
    return this.file.persist({ offsetTable }).catch((err: unknown) => {
      this.options.logger.error('could not persist delayOffset.json', { error: String(err) });
    });
  }

  /** Level → next offset, for the console. */
  delayOffsets(): Record<string, number> {
    return Object.fromEntries([...this.offsetTable].map(([level, offset]) => [String(level), offset]));
  }

  // ---- used by the tasks ------------------------------------------------------------------------

  get store(): ScheduleStore {
    return this.options.store;
  }

  get table(): DelayLevelTable {
    return this.options.table;
  }

  get logger(): BrokerLogger {
    return this.options.logger;
  }

  updateOffset(level: number, offset: number): void {
    this.offsetTable.set(level, offset);
  }
}

type DeliveryOutcome = 'DELIVERED' | 'SKIPPED' | 'FAILED';

/** One level's queue: deliver due entries in order, then sleep until the head is due. */
class DeliverDelayedMessageTask {
  private readonly queueId: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** A wake-up that came while running: look once more instead of sleeping. */
  private wokenWhileRunning = false;
  private active = false;

  constructor(
    private readonly service: ScheduleMessageService,
    private readonly level: number,
    private offset: number,
  ) {
    this.queueId = service.table.queueIdOf(level);
  }

  start(): void {
    this.active = true;
    this.wake();
  }

  /** Runs now unless already running; a pending "not yet due" timer is replaced. */
  wake(): void {
    if (!this.active) return;
    if (this.running) {
      this.wokenWhileRunning = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.run().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    await this.running;
  }

  private async run(): Promise<void> {
    let sleepMillis: number;
    do {
      this.wokenWhileRunning = false;
      try {
        sleepMillis = await this.deliverDueMessages();
      } catch (err) {
        this.service.logger.error('delay delivery task failed', { level: this.level, error: String(err) });
        sleepMillis = RETRY_AFTER_EXCEPTION_MILLIS;
      }
    } while (this.wokenWhileRunning && this.active && sleepMillis !== RETRY_AFTER_EXCEPTION_MILLIS);
    if (this.active) this.timer = setTimeout(() => this.wake(), sleepMillis);
  }

  /** Delivers what is due; returns how long to sleep before looking again. */
  private async deliverDueMessages(): Promise<number> {
    const { store } = this.service;
    while (this.active) {
      const entry = store.getConsumeQueueEntry(SCHEDULE_TOPIC, this.queueId, this.offset);
      if (!entry) {
        const minOffset = store.getMinOffsetInQueue(SCHEDULE_TOPIC, this.queueId);
        if (this.offset >= minOffset) return IDLE_RECHECK_MILLIS;
        // Retention deleted the entries we had not delivered yet: carry on from what is left.
        this.service.logger.warn('delay queue offset below the queue minimum', { level: this.level });
        this.moveTo(minOffset);
        continue;
      }
      const now = Date.now();
      const deliverAt = this.correctDeliverTimestamp(now, entry.tagsCode);
      if (deliverAt > now) return deliverAt - now;
      const outcome = await this.deliver(entry.commitLogOffset);
      if (outcome === 'FAILED') return RETRY_AFTER_FAILURE_MILLIS;
      this.moveTo(this.offset + 1);
    }
    return RETRY_AFTER_FAILURE_MILLIS;
  }

  /** A delivery time more than one level-delay ahead means the clock jumped back: deliver now. */
  private correctDeliverTimestamp(now: number, deliverAt: number): number {
    const latest = now + this.service.table.delayMillisOf(this.level);
    return deliverAt > latest ? now : deliverAt;
  }

  private async deliver(commitLogOffset: number): Promise<DeliveryOutcome> {
    const { store, logger } = this.service;
    const waiting = store.lookMessageByOffset(commitLogOffset);
    if (!waiting) {
      logger.warn('delayed message not found in the CommitLog, skipped', {
        level: this.level,
        commitLogOffset,
      });
      return 'SKIPPED';
    }
    if (waiting.properties[MessageConst.REAL_TOPIC] === RMQ_SYS_TRANS_HALF_TOPIC) return 'SKIPPED';
    const message = messageTimeUp(waiting, [MessageConst.DELAY]);
    if (!message) {
      logger.warn('delayed message without REAL_TOPIC/REAL_QID, skipped', { commitLogOffset });
      return 'SKIPPED';
    }
    const result = await store.putMessage(message);
    if (isStored(result.status)) return 'DELIVERED';
    logger.warn('delayed message could not be re-put, will retry', {
      level: this.level,
      status: result.status,
    });
    return 'FAILED';
  }

  private moveTo(offset: number): void {
    this.offset = offset;
    this.service.updateOffset(this.level, offset);
  }
}
