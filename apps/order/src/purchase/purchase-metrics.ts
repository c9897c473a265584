import { METRICS_REGISTRY } from '@flashsale/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import type { PurchaseRefusal } from './purchase-refusal';

/** How a purchase attempt ended: admitted, refused (and why), or failed (a 500). */
export type PurchaseOutcome = 'ACCEPTED' | PurchaseRefusal | 'ERROR';

/**
 * `flashsale_purchase_requests_total{outcome}` on GET /metrics: every purchase attempt the order
 * service answered, by outcome (ACCEPTED, SOLD_OUT, ALREADY_BOUGHT, RATE_LIMITED, ...). The load-test
 * sampler reads it once a second for the "spike at the edge" line of the peak-shaving report; in
 * production it is the dashboard of a sale.
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

  record(outcome: PurchaseOutcome): void {
    this.requests.inc({ outcome });
  }
}
