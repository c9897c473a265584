import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry of this app's own (not prom-client's global one, so that several apps in one test process
 * do not collide), labelled with the service name and filled with Node.js process metrics: CPU,
 * memory, event-loop lag, GC, handles.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
