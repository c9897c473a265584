import type { ServiceAppOptions } from '@flashsale/service-kit';
import { purchaseOpenApiPaths } from './purchase/purchase-route.schema';

/** How the order app is set up in main.ts and in the tests alike. */
export const orderAppOptions: ServiceAppOptions = {
  openApi: {
    title: 'Flash-sale order service',
    description: [
      'Flash sales, the purchase gate and the lifecycle of purchase orders (DESIGN §4, flows 1–4).',
      '',
      '1. `POST /sales` creates a sale and loads its counters into Redis.',
      '2. `POST /sales/{id}/purchases` goes through the Redis gate: losers get 409/429 at once, winners',
      '   `202` with a ticket; their request is queued on the broker and turned into an order at the',
      '   pace the database takes (peak shaving). Poll `GET /tickets/{ticket}`.',
      '3. The order is created by a transactional message (ORDER_CREATED: inventory deducts stock).',
      '4. `POST /orders/{id}/pay` before the delayed close (ORDER_CLOSE_DELAY_MS, 30 min by default);',
      '   an unpaid order closes and its stock goes back. Every status change is published in order',
      '   per order (ORDER_STATUS, sharded by order id).',
      '',
      'Errors carry a machine-readable `code` (SOLD_OUT, ALREADY_BOUGHT, NOT_STARTED, ENDED,',
      'RATE_LIMITED, SALE_NOT_FOUND, ORDER_CLOSED, ...).',
    ].join('\n'),
    version: '0.1.0',
    // POST /sales/{id}/purchases is a plain Fastify route, described by its own JSON schemas.
    paths: purchaseOpenApiPaths,
  },
};
