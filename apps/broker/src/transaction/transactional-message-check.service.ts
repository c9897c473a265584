/**
 * TransactionalMessageCheckService: the broker's back-check of unresolved half messages (RocketMQ's
 * `TransactionalMessageCheckService` driving `TransactionalMessageServiceImpl.check`).
 *
 * Every `transactionCheckInterval` (60 s) one pass walks the half queue from the CID_RMQ_SYS_TRANS
 * progress offset:
 *
 *   resolved by an op            → skip
 *   stored after the pass began  → stop (renewed copies of this very pass end up there)
 *   checked transactionCheckMax times, or older than fileReservedTime → discard
 *   younger than its grace period (transactionTimeOut 6 s, or CHECK_IMMUNITY_TIME_IN_SECONDS)
 *                                → stop; with its own immunity time → renew and move on
 *   otherwise                    → TRANSACTION_CHECK_TIMES + 1, renew it at the end of the half queue,
 *                                  send CHECK_TRANSACTION_STATE about the renewed copy
 *
 * and then commits how far it got. Renewing instead of updating in place is what an append-only log
 * forces: the old entry is simply left behind the progress offset.
 *
 * Interview question: "RocketMQ 主动回查本地事务状态 (the broker checks back the local transaction
 * state) — when, how often, and what if nobody answers?" — only for half messages older than
 * transactionTimeOut, once per check interval, at most transactionCheckMax (15) times; after that the
 * half message is parked in TRANS_CHECK_MAX_TIME_TOPIC and logged, and the message is never delivered.
 */
import { createOffsetMessageId, MessageConst, type MessageRecord } from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import { isStored } from './transactional-message-bridge';
import { describe, type TransactionalMessageCheckListener } from './transactional-message-check.listener';
import { type TransactionalMessageService, uniqKeyOf } from './transactional-message.service';
import {
  checkTimesOf,
  halfOffsetOfOp,
  realDestinationOf,
  toRenewedHalfMessage,
} from './transactional-message-util';

export interface TransactionCheckSettings {
  /** How often a pass runs (ms). RocketMQ: 60 000. */
  transactionCheckInterval: number;
  /** A half message younger than this (from its born time) is not checked yet (ms). RocketMQ: 6 000. */
  transactionTimeOut: number;
  /** After this many checks the half message is discarded. RocketMQ: 15. */
  transactionCheckMax: number;
}

/** What the console shows for a half message that is still waiting for its outcome. */
export interface PendingHalfMessage {
  halfQueueOffset: number;
  commitLogOffset: number;
  /** Offset msgId of the (latest copy of the) half message. */
  offsetMsgId: string;
  /** The producer's msgId (UNIQ_KEY), what END_TRANSACTION quotes as msgId. */
  uniqKey: string | undefined;
  producerGroup: string | undefined;
  realTopic: string | undefined;
  realQueueId: number | undefined;
  checkTimes: number;
  bornTimestamp: number;
  storeTimestamp: number;
}

type Decision = 'RESOLVED' | 'STOP' | 'DISCARD' | 'RENEW' | 'CHECK';

/** RocketMQ bounds one pass over a queue to 60 s so that a huge backlog cannot starve the timer. */
const MAX_PASS_MILLIS = 60_000;
const READ_BATCH = 32;
const PENDING_LIST_LIMIT = 1000;

export class TransactionalMessageCheckService {
  private timer: NodeJS.Timeout | undefined;
  private currentPass: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly service: TransactionalMessageService,
    private readonly listener: TransactionalMessageCheckListener,
    private readonly settings: TransactionCheckSettings,
    private readonly logger: BrokerLogger,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.runPass(), this.settings.transactionCheckInterval);
    this.timer.unref();
    this.logger.info('transaction check service started', { ...this.settings });
  }

  /** Stops the timer and waits for a pass in progress, so nothing writes to a closing store. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.currentPass;
  }

  /** One pass now (the timer's job; tests and admin tools may call it too). Overlapping calls share it. */
  runPass(): Promise<void> {
    if (this.currentPass) return this.currentPass;
    this.currentPass = this.check()
      .catch((err: unknown) => this.logger.error('transaction check pass failed', { error: String(err) }))
      .finally(() => (this.currentPass = undefined));
    return this.currentPass;
  }

  // ---- one pass ---------------------------------------------------------------------------------

  private async check(): Promise<void> {
    const { bridge } = this.service;
    const startedAt = Date.now();
    const halfMax = bridge.halfMaxOffset();
    const halfStart = bridge.halfProgress();
    const ops = this.collectOps(halfStart);
    if (ops.nextOpProgress !== bridge.opProgress()) bridge.updateOpProgress(ops.nextOpProgress);
    if (halfStart >= halfMax) return;

    let offset = halfStart;
    while (offset < halfMax && this.canContinue(startedAt)) {
      const slice = bridge.readHalfMessages(offset, READ_BATCH);
      if (slice.messages.length === 0) {
        if (slice.nextBeginOffset <= offset) break;
        offset = slice.nextBeginOffset; // a gap left by retention
        continue;
      }
      const reached = await this.handleSlice(slice.messages, ops.removed, startedAt);
      offset = reached.offset;
      if (reached.stopped) break;
    }
    if (offset !== halfStart) bridge.updateHalfProgress(offset);
  }

  private canContinue(startedAt: number): boolean {
    return !this.stopped && this.service.bridge.isRunning && Date.now() - startedAt < MAX_PASS_MILLIS;
  }

  /** Handles half messages in order; returns the first offset not dealt with. */
  private async handleSlice(
    halves: MessageRecord[],
    removed: ReadonlySet<number>,
    startedAt: number,
  ): Promise<{ offset: number; stopped: boolean }> {
    let offset = halves[0].queueOffset;
    for (const half of halves) {
      const decision = this.decide(half, removed, startedAt);
      if (decision === 'STOP') return { offset, stopped: true };
      if (!(await this.act(decision, half))) return { offset, stopped: true };
      offset = half.queueOffset + 1;
      if (!this.canContinue(startedAt)) return { offset, stopped: true };
    }
    return { offset, stopped: false };
  }

  private decide(half: MessageRecord, removed: ReadonlySet<number>, startedAt: number): Decision {
    if (removed.has(half.queueOffset) || this.service.isResolved(half)) return 'RESOLVED';
    if (half.storeTimestamp >= startedAt) return 'STOP';
    const age = Date.now() - half.bornTimestamp;
    if (checkTimesOf(half) >= this.settings.transactionCheckMax) return 'DISCARD';
    if (age > this.service.bridge.fileReservedTimeMillis) return 'DISCARD';
    const immunity = immunityMillisOf(half);
    if (immunity === undefined) return age < this.settings.transactionTimeOut ? 'STOP' : 'CHECK';
    // A producer-chosen grace period: renew instead of stopping, so it does not hold up the others.
    return age < immunity ? 'RENEW' : 'CHECK';
  }

  /** False when the pass must stop here (a write failed: try this message again next pass). */
  private async act(decision: Exclude<Decision, 'STOP'>, half: MessageRecord): Promise<boolean> {
    switch (decision) {
      case 'RESOLVED':
        return true;
      case 'DISCARD':
        await this.listener.resolveDiscardMsg(half, this.discardReason(half));
        return true;
      case 'RENEW':
        return (await this.renew(half, checkTimesOf(half))) !== undefined;
      case 'CHECK':
        return this.checkBack(half);
    }
  }

  private async checkBack(half: MessageRecord): Promise<boolean> {
    const renewed = await this.renew(half, checkTimesOf(half) + 1);
    if (!renewed) return false;
    this.listener.resolveHalfMsg(renewed);
    return true;
  }

  /** Appends a copy of `half` to the half queue; the copy as stored, or undefined if the put failed. */
  private async renew(half: MessageRecord, checkTimes: number): Promise<MessageRecord | undefined> {
    const copy = toRenewedHalfMessage(half, checkTimes);
    const result = await this.service.bridge.putHalfMessage(copy);
    if (!isStored(result) || !result.appendResult) {
      this.logger.warn('transaction check: could not renew a half message; retrying next pass', {
        ...describe(half),
        status: result.status,
      });
      return undefined;
    }
    const append = result.appendResult;
    return {
      ...copy,
      queueOffset: append.queueOffset,
      commitLogOffset: append.wroteOffset,
      storeTimestamp: append.storeTimestamp,
      storeHost: this.service.bridge.storeHost,
    };
  }

  private discardReason(half: MessageRecord): string {
    const times = checkTimesOf(half);
    if (times >= this.settings.transactionCheckMax) {
      return `checked ${times} times without an answer (transactionCheckMax ${this.settings.transactionCheckMax})`;
    }
    return 'older than fileReservedTime: its CommitLog segment may be deleted';
  }

  // ---- ops --------------------------------------------------------------------------------------

  /**
   * RocketMQ's `fillOpRemoveMap`: every op from the op progress on. An op for a half message behind
   * the half progress is done with; the op progress moves over the unbroken run of done ops.
   */
  private collectOps(halfProgress: number): { removed: Set<number>; nextOpProgress: number } {
    const { bridge } = this.service;
    const removed = new Set<number>();
    const opMax = bridge.opMaxOffset();
    let nextOpProgress = bridge.opProgress();
    let prefixDone = true;
    let offset = nextOpProgress;
    while (offset < opMax) {
      const slice = bridge.readOpMessages(offset, READ_BATCH);
      for (const op of slice.messages) {
        const halfOffset = halfOffsetOfOp(op);
        const done = halfOffset === undefined || halfOffset < halfProgress;
        if (!done) removed.add(halfOffset);
        prefixDone = prefixDone && done;
        if (prefixDone) nextOpProgress = op.queueOffset + 1;
      }
      if (slice.nextBeginOffset <= offset) break;
      offset = slice.nextBeginOffset;
    }
    return { removed, nextOpProgress };
  }

  // ---- console ----------------------------------------------------------------------------------

  /**
   * Half messages still waiting for COMMIT or ROLLBACK, oldest first, one entry per transaction (the
   * latest renewed copy). Read from the queues, so it is exact after a restart too; waits until the
   * half queue holds everything already appended (a renewed copy is appended before it is dispatched).
   */
  async getPendingHalfMessages(limit = PENDING_LIST_LIMIT): Promise<PendingHalfMessage[]> {
    const { bridge } = this.service;
    await bridge.whenDispatched();
    const halfProgress = bridge.halfProgress();
    const { removed } = this.collectOps(halfProgress);
    const latest = new Map<string, MessageRecord>();
    const halfMax = bridge.halfMaxOffset();
    let offset = halfProgress;
    while (offset < halfMax) {
      const slice = bridge.readHalfMessages(offset, READ_BATCH);
      for (const half of slice.messages) {
        if (removed.has(half.queueOffset) || this.service.isResolved(half)) continue;
        const key = uniqKeyOf(half) ?? `@${half.queueOffset}`;
        latest.delete(key); // re-insert: Map order follows the latest copy
        latest.set(key, half);
      }
      if (slice.nextBeginOffset <= offset) break;
      offset = slice.nextBeginOffset;
    }
    return [...latest.values()].slice(0, limit).map((half) => this.toPending(half));
  }

  private toPending(half: MessageRecord): PendingHalfMessage {
    const real = realDestinationOf(half);
    return {
      halfQueueOffset: half.queueOffset,
      commitLogOffset: half.commitLogOffset,
      offsetMsgId: createOffsetMessageId(this.service.bridge.storeHost, half.commitLogOffset),
      uniqKey: uniqKeyOf(half),
      producerGroup: half.properties[MessageConst.PGROUP],
      realTopic: real?.topic,
      realQueueId: real?.queueId,
      checkTimes: checkTimesOf(half),
      bornTimestamp: half.bornTimestamp,
      storeTimestamp: half.storeTimestamp,
    };
  }
}

/** CHECK_IMMUNITY_TIME_IN_SECONDS in ms, or undefined when absent or not a number. */
function immunityMillisOf(half: MessageRecord): number | undefined {
  const text = half.properties[MessageConst.CHECK_IMMUNITY_TIME_IN_SECONDS];
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim()) * 1000;
}
