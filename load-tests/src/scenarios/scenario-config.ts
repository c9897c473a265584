/**
 * The scenarios' knobs for the Node side (the runner and the Node driver), read from the same
 * environment variables with the same defaults as the k6 scripts (load-tests/k6/lib/config.ts), so
 * `PEAK_RATE=5000 npm run load:spike` means the same load whichever generator produces it.
 */
export type ScenarioName = 'spike' | 'sustained' | 'checkout';

export const SCENARIO_NAMES: readonly ScenarioName[] = ['spike', 'sustained', 'checkout'];

/** The k6 script of each scenario, relative to the repository root. */
export const K6_SCRIPTS: Record<ScenarioName, string> = {
  spike: 'load-tests/k6/flash-sale-spike.ts',
  sustained: 'load-tests/k6/flash-sale-sustained.ts',
  checkout: 'load-tests/k6/checkout.ts',
};

export interface SpikeSettings {
  scenario: 'spike';
  stock: number;
  perUserLimit: number;
  users: number;
  repeatBuyerRatio: number;
  startRate: number;
  peakRate: number;
  rampSeconds: number;
  holdSeconds: number;
}

export interface SustainedSettings {
  scenario: 'sustained';
  stock: number;
  perUserLimit: number;
  users: number;
  repeatBuyerRatio: number;
  rate: number;
  seconds: number;
}

export interface CheckoutSettings {
  scenario: 'checkout';
  stock: number;
  perUserLimit: number;
  buyers: number;
  vus: number;
  payRatio: number;
  ticketDeadlineSeconds: number;
}

export type ScenarioSettings = SpikeSettings | SustainedSettings | CheckoutSettings;

export class ScenarioConfigError extends Error {
  override readonly name = 'ScenarioConfigError';
}

export function scenarioSettings(
  scenario: ScenarioName,
  env: NodeJS.ProcessEnv = process.env,
): ScenarioSettings {
  const read = new EnvReader(env);
  const perUserLimit = read.int('PER_USER_LIMIT', 1, 1, 100);
  switch (scenario) {
    case 'spike':
      return {
        scenario,
        perUserLimit,
        stock: read.int('STOCK', 500, 1, 10_000_000),
        users: read.int('USERS', 20_000, 1, 100_000_000),
        repeatBuyerRatio: read.ratio('REPEAT_BUYER_RATIO', 0.1),
        startRate: 10,
        peakRate: read.int('PEAK_RATE', 3000, 1, 1_000_000),
        rampSeconds: read.seconds('RAMP', '5s'),
        holdSeconds: read.seconds('HOLD', '20s'),
      };
    case 'sustained': {
      const rate = read.int('RATE', 2000, 1, 1_000_000);
      const seconds = read.seconds('DURATION', '60s');
      const requests = Math.ceil(rate * seconds);
      return {
        scenario,
        perUserLimit,
        rate,
        seconds,
        users: read.int('USERS', requests, 1, 100_000_000),
        repeatBuyerRatio: read.ratio('REPEAT_BUYER_RATIO', 0.1),
        stock: read.int('STOCK', 2_500, 1, 10_000_000),
      };
    }
    case 'checkout':
      return {
        scenario,
        perUserLimit,
        stock: read.int('STOCK', 500, 1, 10_000_000),
        buyers: read.int('BUYERS', 200, 1, 10_000_000),
        vus: read.int('VUS', 20, 1, 10_000),
        payRatio: read.ratio('PAY_RATIO', 0.5),
        ticketDeadlineSeconds: read.seconds('TICKET_DEADLINE', '30s'),
      };
  }
}

class EnvReader {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  int(name: string, fallback: number, min: number, max: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      throw new ScenarioConfigError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
    }
    return value;
  }

  ratio(name: string, fallback: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new ScenarioConfigError(`${name} must be a number from 0 to 1, got "${text}"`);
    }
    return value;
  }

  /** A k6 duration (`500ms`, `20s`, `1m30s`) in seconds. */
  seconds(name: string, fallback: string): number {
    const text = this.raw(name) ?? fallback;
    if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
      throw new ScenarioConfigError(`${name} must be a duration such as 500ms, 20s or 1m30s, got "${text}"`);
    }
    const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
    let total = 0;
    for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
      total += Number(match[1]) * unit[match[2]];
    return total;
  }

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }
}
