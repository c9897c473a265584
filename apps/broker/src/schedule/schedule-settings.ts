/**
 * The broker settings of delayed and timer messages, checked once at start-up so that a typo in
 * MESSAGE_DELAY_LEVEL stops the broker instead of silently disabling delays.
 */
import { DelayLevelParseError, DelayLevelTable } from './delay-level-table';

export interface ScheduleSettings {
  messageDelayLevel: string;
  delayLevelScale: number;
  flushDelayOffsetInterval: number;
  timerPrecisionMs: number;
  timerMaxDelaySec: number;
}

/** RocketMQ 5.x accepts only these wheel precisions. */
export const TIMER_PRECISIONS: readonly number[] = [100, 200, 500, 1000];

const MAX_TIMER_DELAY_SEC = 365 * 24 * 3600;

export interface SettingProblem {
  setting: keyof ScheduleSettings;
  message: string;
}

/** The first invalid setting, or undefined when all are fine. */
export function scheduleSettingsProblem(settings: ScheduleSettings): SettingProblem | undefined {
  const scale = settings.delayLevelScale;
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) {
    return { setting: 'delayLevelScale', message: `must be a number in (0, 1000], got ${scale}` };
  }
  try {
    DelayLevelTable.parse(settings.messageDelayLevel, scale);
  } catch (err) {
    if (!(err instanceof DelayLevelParseError)) throw err;
    return { setting: 'messageDelayLevel', message: err.message };
  }
  if (!isIntIn(settings.flushDelayOffsetInterval, 100, 3_600_000)) {
    return { setting: 'flushDelayOffsetInterval', message: 'must be an integer in [100, 3600000] ms' };
  }
  if (!TIMER_PRECISIONS.includes(settings.timerPrecisionMs)) {
    return {
      setting: 'timerPrecisionMs',
      message: `must be one of ${TIMER_PRECISIONS.join(', ')}, got ${settings.timerPrecisionMs}`,
    };
  }
  if (!isIntIn(settings.timerMaxDelaySec, 1, MAX_TIMER_DELAY_SEC)) {
    return { setting: 'timerMaxDelaySec', message: `must be an integer in [1, ${MAX_TIMER_DELAY_SEC}] s` };
  }
  return undefined;
}

function isIntIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
