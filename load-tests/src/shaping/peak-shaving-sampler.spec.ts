import { purchaseCounts } from './peak-shaving-sampler';

describe('purchaseCounts', () => {
  it('sums the purchase counter over its outcomes and picks out the admitted ones', () => {
    const exposition = [
      '# HELP flashsale_purchase_requests_total Purchase attempts answered by the order service, by outcome',
      '# TYPE flashsale_purchase_requests_total counter',
      'flashsale_purchase_requests_total{outcome="ACCEPTED",service="order"} 500',
      'flashsale_purchase_requests_total{outcome="SOLD_OUT",service="order"} 12000',
      'flashsale_purchase_requests_total{outcome="RATE_LIMITED",service="order"} 35',
      'process_cpu_seconds_total{service="order"} 12.5',
    ].join('\n');
    expect(purchaseCounts(exposition)).toEqual({ answered: 12_535, accepted: 500 });
  });

  it('reads zero from a service that has answered no purchase yet', () => {
    expect(purchaseCounts('process_cpu_seconds_total{service="order"} 1\n')).toEqual({
      answered: 0,
      accepted: 0,
    });
  });
});
