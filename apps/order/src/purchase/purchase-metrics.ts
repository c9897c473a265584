import { METRICS_REGISTRY, ServiceError } from '@flashsale/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

/**
 * `flashsale_purchase_requests_total{outcome}` on GET /metrics: every purchase attempt the gate
 * answered, by outcome (ACCEPTED, or the error code: SOLD_OUT, ALREADY_BOUGHT, RATE_LIMITED, ...).
 * The load-test sampler reads it once a second for the "spike at the edge" line of the peak-shaving
 * report; in production it is the dashboard of a sale.
 */
@Injectable()
export class PurchaseMetrics {
  private readonly requests: Counter<'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.requests = new Counter({
      name: 'flashsale_purchase_requests_total',
      help: 'Purchase attempts answered by the order service, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  /** Counts the attempt's outcome when `attempt` settles, and passes its result or error on. */
  async count<T>(attempt: Promise<T>): Promise<T> {
    try {
      const result = await attempt;
      this.requests.inc({ outcome: 'ACCEPTED' });
      return result;
    } catch (error) {
      this.requests.inc({ outcome: error instanceof ServiceError ? error.code : 'ERROR' });
      throw error;
    }
  }
}
