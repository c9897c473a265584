/**
 * The one call the send path makes before `store.putMessage` (RocketMQ 5.x
 * `HookUtils.handleScheduleMessage`): a delayed or timed message is rewritten into the topic where it
 * waits. A DELAY level takes precedence over timer properties, which are then removed. The broker's
 * own re-puts (delivery from the schedule and timer topics) go to the store directly and never pass
 * through here.
 */
import { MessageConst, type MessageRecord } from '@flashsale/mq/protocol';
import type { TagsCodeResolver } from '../store';
import { SCHEDULE_TOPIC, TIMER_TOPIC } from '../topic/topic-validator';
import type { DelayLevelTable } from './delay-level-table';
import {
  delayLevelOf,
  mayBeScheduled,
  rewriteToScheduleTopic,
  scheduleDeliverTimestamp,
} from './schedule-message-rewrite';
import {
  removeTimerProperties,
  rewriteTimerMessage,
  type TimerSettings,
  timerDeliverTimestamp,
} from './timer/timer-message-rewrite';

export type ScheduleHookOutcome = { ok: true } | { ok: false; code: number; remark: string };

export type ScheduleMessageHook = (record: MessageRecord) => ScheduleHookOutcome;

const OK: ScheduleHookOutcome = Object.freeze({ ok: true as const });

export function createScheduleMessageHook(
  table: DelayLevelTable,
  timerSettings: TimerSettings,
): ScheduleMessageHook {
  return (record) => {
    // A half message waits for END_TRANSACTION first; its delay applies to the committed copy.
    if (!mayBeScheduled(record.sysFlag) || record.properties[MessageConst.TRAN_MSG] === 'true') return OK;
    if (delayLevelOf(record.properties) > 0) {
      removeTimerProperties(record.properties);
      rewriteToScheduleTopic(record, table);
      return OK;
    }
    const timer = rewriteTimerMessage(record, timerSettings, Date.now());
    if (timer.kind === 'ILLEGAL') return { ok: false, code: timer.code, remark: timer.remark };
    return OK;
  };
}

/**
 * The store's tagsCode hook: entries of SCHEDULE_TOPIC_XXXX and rmq_sys_wheel_timer carry their
 * delivery time instead of a tag hash (RocketMQ computes it in `checkMessageAndReturnSize`).
 */
export function createDeliveryTimeTagsCodeResolver(table: DelayLevelTable): TagsCodeResolver {
  return (request) => {
    if (request.topic === SCHEDULE_TOPIC) {
      return scheduleDeliverTimestamp(table, request.properties, request.storeTimestamp);
    }
    if (request.topic === TIMER_TOPIC) return timerDeliverTimestamp(request.properties);
    return undefined;
  };
}
