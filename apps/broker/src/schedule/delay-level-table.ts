/**
 * DelayLevelTable: RocketMQ's `messageDelayLevel` — the fixed ladder of delays a producer chooses
 * from with the DELAY property ("1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h",
 * levels 1..18). The same ladder paces consumption retries: the n-th retry uses level 3 + n.
 *
 * Interview question: "如何设置延迟消息？能否做到毫秒级别？" (How do you send a delayed message —
 * to the millisecond?) — in 4.x only by level: `msg.setDelayTimeLevel(3)` means 10 s. A level above
 * the table's top is clamped to the top, 0 or less means "no delay". Arbitrary times arrived with the
 * 5.x timer messages (see timer/).
 *
 * `delayLevelScale` (ours, not RocketMQ's) multiplies every delay, so a test or a demo can run the
 * two-hour retry ladder a hundred times faster with 0.01.
 */

const UNIT_MILLIS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};

export const DEFAULT_MESSAGE_DELAY_LEVEL = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

export class DelayLevelParseError extends Error {
  override readonly name = 'DelayLevelParseError';
}

export class DelayLevelTable {
  /** Delay of level n at index n - 1, in milliseconds, already scaled. */
  private readonly delays: readonly number[];

  private constructor(delays: number[]) {
    this.delays = delays;
  }

  /** Parses "1s 5s 1m 2h 1d"; throws DelayLevelParseError for anything else. */
  static parse(text: string = DEFAULT_MESSAGE_DELAY_LEVEL, scale = 1): DelayLevelTable {
    if (!Number.isFinite(scale) || scale <= 0) {
      throw new DelayLevelParseError(`the scale must be a positive number, got ${scale}`);
    }
    const words = text.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) throw new DelayLevelParseError('the delay level table is empty');
    // A scaled delay never drops below 1 ms, so a delayed message is never "not delayed".
    return new DelayLevelTable(words.map((word) => Math.max(1, Math.round(parseDelay(word) * scale))));
  }

  /** The highest level (18 for the default table). */
  get maxLevel(): number {
    return this.delays.length;
  }

  /** Level → delay in ms; a level above the top is clamped to the top, ≤ 0 is no delay (0). */
  delayMillisOf(level: number): number {
    if (level <= 0) return 0;
    return this.delays[this.clamp(level) - 1];
  }

  clamp(level: number): number {
    return Math.min(Math.max(1, Math.floor(level)), this.maxLevel);
  }

  /** SCHEDULE_TOPIC_XXXX has one queue per level: queueId = level - 1. */
  queueIdOf(level: number): number {
    return this.clamp(level) - 1;
  }

  levelOfQueueId(queueId: number): number {
    return queueId + 1;
  }

  /** Level → delay, for the console and the README ("1": 1000, ...). */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.delays.map((millis, i) => [String(i + 1), millis]));
  }
}

function parseDelay(word: string): number {
  const match = /^(\d+)([smhd])$/.exec(word);
  if (!match) throw new DelayLevelParseError(`"${word}" is not a delay like 5s, 2m, 1h or 1d`);
  const amount = Number(match[1]);
  if (amount <= 0) throw new DelayLevelParseError(`"${word}" must be longer than zero`);
  return amount * UNIT_MILLIS[match[2]];
}
