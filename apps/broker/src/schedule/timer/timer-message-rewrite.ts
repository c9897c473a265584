/**
 * The put-side half of timer messages (RocketMQ 5.x `HookUtils.transformTimerMessage`): a message
 * that names its delivery time — TIMER_DELAY_SEC, TIMER_DELAY_MS or TIMER_DELIVER_MS (absolute epoch
 * ms), in that order of priority — is stored in `rmq_sys_wheel_timer` queue 0 with TIMER_OUT_MS set
 * to the delivery time rounded down to `timerPrecisionMs` (an exact multiple moves one step earlier,
 * as RocketMQ does) and its destination in REAL_TOPIC / REAL_QID. A time no more than one precision
 * step ahead (or in the past) is not a timer message at all: it is stored normally and consumable at
 * once. More than `timerMaxDelaySec` ahead (3 days by default) is refused with MESSAGE_ILLEGAL.
 *
 * Interview question: "如何设置延迟消息？能否做到毫秒级别？" (Can a delay be set to the
 * millisecond?) — since 5.x, yes in the API (`setDeliverTimeMs`), but delivery is only as precise as
 * the wheel's slot: 1000 ms by default, 100 ms at best.
 */
import { MessageConst, type MessageRecord, ResponseCode } from '@flashsale/mq/protocol';
import { TIMER_TOPIC } from '../../topic/topic-validator';

export interface TimerSettings {
  timerPrecisionMs: number;
  timerMaxDelaySec: number;
}

export type TimerRewriteOutcome =
  | { kind: 'NOT_TIMER' }
  | { kind: 'IMMEDIATE' }
  | { kind: 'REWRITTEN'; deliverMs: number }
  | { kind: 'ILLEGAL'; code: number; remark: string };

const TIMER_PROPERTIES = [
  MessageConst.TIMER_DELIVER_MS,
  MessageConst.TIMER_DELAY_SEC,
  MessageConst.TIMER_DELAY_MS,
] as const;

export function hasTimerProperty(properties: Record<string, string>): boolean {
  return TIMER_PROPERTIES.some((name) => properties[name] !== undefined);
}

/** A DELAY level wins over a timer: the timer properties are dropped. */
export function removeTimerProperties(properties: Record<string, string>): void {
  for (const name of TIMER_PROPERTIES) delete properties[name];
}

/** The absolute delivery time the properties ask for, or a reason why they are unusable. */
export function requestedDeliverMs(properties: Record<string, string>, now: number): number | string {
  const delaySec = properties[MessageConst.TIMER_DELAY_SEC];
  if (delaySec !== undefined) return relative(delaySec, 1000, now, MessageConst.TIMER_DELAY_SEC);
  const delayMs = properties[MessageConst.TIMER_DELAY_MS];
  if (delayMs !== undefined) return relative(delayMs, 1, now, MessageConst.TIMER_DELAY_MS);
  const deliverMs = properties[MessageConst.TIMER_DELIVER_MS] ?? '';
  return /^\d+$/.test(deliverMs) ? Number(deliverMs) : `${MessageConst.TIMER_DELIVER_MS} is not a number`;
}

function relative(text: string, unit: number, now: number, name: string): number | string {
  if (!/^\d+$/.test(text)) return `${name} is not a non-negative integer`;
  return now + Number(text) * unit;
}

/** RocketMQ's rounding: down to the precision, and an exact multiple one step earlier. */
export function roundDeliverMs(deliverMs: number, precisionMs: number): number {
  const remainder = deliverMs % precisionMs;
  return remainder === 0 ? deliverMs - precisionMs : deliverMs - remainder;
}

/** Rewrites a timer message in place into the timer topic (see the header for the rules). */
export function rewriteTimerMessage(
  record: MessageRecord,
  settings: TimerSettings,
  now: number,
): TimerRewriteOutcome {
  if (!hasTimerProperty(record.properties)) return { kind: 'NOT_TIMER' };
  const deliverMs = requestedDeliverMs(record.properties, now);
  if (typeof deliverMs === 'string') {
    return { kind: 'ILLEGAL', code: ResponseCode.MESSAGE_ILLEGAL, remark: deliverMs };
  }
  if (deliverMs - now > settings.timerMaxDelaySec * 1000) {
    return {
      kind: 'ILLEGAL',
      code: ResponseCode.MESSAGE_ILLEGAL,
      remark: `timer message delivery time ${deliverMs} is more than timerMaxDelaySec ${settings.timerMaxDelaySec} s ahead`,
    };
  }
  if (deliverMs - now <= settings.timerPrecisionMs) return { kind: 'IMMEDIATE' };
  const rounded = roundDeliverMs(deliverMs, settings.timerPrecisionMs);
  record.properties[MessageConst.TIMER_OUT_MS] = String(rounded);
  record.properties[MessageConst.REAL_TOPIC] = record.topic;
  record.properties[MessageConst.REAL_QID] = String(record.queueId);
  record.topic = TIMER_TOPIC;
  record.queueId = 0;
  return { kind: 'REWRITTEN', deliverMs: rounded };
}

/** ConsumeQueue tagsCode of a timer-topic entry: TIMER_OUT_MS, so the wheel is built from the queue. */
export function timerDeliverTimestamp(properties: Record<string, string>): number | undefined {
  const text = properties[MessageConst.TIMER_OUT_MS];
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
