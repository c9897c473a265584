/**
 * setup() of every scenario: the stock of record in inventory, then the flash sale in order.
 *
 * The product must exist before any order does: the order service never calls inventory, it announces
 * each order with a transactional message and inventory deducts the stock when it consumes it (flow 2).
 * A sale whose SKU inventory does not know would turn every winner into STOCK_DEDUCT_FAILED. Creating
 * the sale loads its counters into Redis, which is all the purchase gate reads (flow 1).
 *
 * Each run gets its own SKU, sale and buyer names, so runs never see each other's ALREADY_BOUGHT and the
 * books of one sale can be checked afterwards. SALE_ID reuses an existing sale instead (for a driver that
 * creates the sale itself and samples the backlog while k6 runs).
 */
import { fail } from 'k6';
import http from 'k6/http';
import type { RefinedResponse, ResponseType } from 'k6/http';
import type { CommonConfig } from './config.ts';
import { asObject } from './json.ts';

/** What setup() hands every VU and handleSummary() (as `setup_data`); it must survive JSON. */
export interface SaleSetup {
  saleId: string;
  sku: string;
  quantity: number;
  /** Prefix of this run's buyer names. */
  runId: string;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** Long enough for any of these scenarios, short enough that a forgotten sale does not stay open. */
const SALE_OPEN_MS = 60 * 60 * 1000;
/** startsAt a little in the past: the gate compares it with its own clock, which may run behind ours. */
const CLOCK_SLACK_MS = 5_000;

function newRunId(): string {
  return Date.now().toString(36) + Math.floor(Math.random() * 36 ** 4).toString(36);
}

function requireStatus(res: RefinedResponse<ResponseType | undefined>, what: string, expected: number) {
  if (res.status !== expected) {
    const why = res.status === 0 ? res.error : `${res.status} ${String(res.body)}`;
    fail(`${what}: expected ${expected}, got ${why} (is the stack up? npm start)`);
  }
}

function existingSale(config: CommonConfig, saleId: string): SaleSetup {
  const res = http.get(`${config.orderUrl}/sales/${saleId}`, { tags: { name: 'get sale' } });
  requireStatus(res, `GET /sales/${saleId}`, 200);
  const sale = asObject(res.json());
  if (!sale || typeof sale.sku !== 'string' || typeof sale.quantity !== 'number') {
    fail(`GET /sales/${saleId}: unexpected body ${String(res.body)}`);
  }
  return { saleId, sku: sale.sku, quantity: sale.quantity, runId: newRunId() };
}

/**
 * Creates (or, with SALE_ID, looks up) the sale. `label` names the scenario in the SKU and the title so
 * a sale can be traced back to the run that made it.
 */
export function setUpSale(config: CommonConfig, label: string, quantity: number): SaleSetup {
  if (config.saleId !== undefined) return existingSale(config, config.saleId);

  const runId = newRunId();
  const sku = `K6-${label}-${runId}`.toUpperCase();

  const product = http.post(
    `${config.inventoryUrl}/products`,
    JSON.stringify({ sku, name: `k6 ${label} ${runId}`, stock: quantity }),
    { headers: JSON_HEADERS, tags: { name: 'create product' } },
  );
  requireStatus(product, `POST ${config.inventoryUrl}/products`, 201);

  const now = Date.now();
  const created = http.post(
    `${config.orderUrl}/sales`,
    JSON.stringify({
      sku,
      title: `k6 ${label} ${runId}`,
      priceCents: 100,
      quantity,
      perUserLimit: config.perUserLimit,
      startsAt: new Date(now - CLOCK_SLACK_MS).toISOString(),
      endsAt: new Date(now + SALE_OPEN_MS).toISOString(),
    }),
    { headers: JSON_HEADERS, tags: { name: 'create sale' } },
  );
  requireStatus(created, `POST ${config.orderUrl}/sales`, 201);
  const sale = asObject(created.json());
  if (!sale || typeof sale.id !== 'string') fail(`POST /sales: no id in ${String(created.body)}`);

  return { saleId: sale.id, sku, quantity, runId };
}
