/** Injection token of the service's prom-client `Registry`; register your own metrics on it. */
export const METRICS_REGISTRY = 'METRICS_REGISTRY';
