import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One dependency that `GET /health` reports on. Implementations are Nest providers; `check()` resolves
 * to `up` or `down` under their own key (`database`, `redis`, later `broker`) and must not hang: give
 * every probe a timeout.
 */
export interface ServiceHealthIndicator {
  check(): Promise<HealthIndicatorResult>;
}

/** Injection token of the list of all indicators `GET /health` runs. */
export const HEALTH_INDICATORS = 'HEALTH_INDICATORS';

/** How long a single probe may take before the dependency counts as down. */
export const HEALTH_PROBE_TIMEOUT_MS = 1_500;
