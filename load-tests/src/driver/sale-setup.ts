/**
 * A fresh product and an open sale of it for one run, created through the services' APIs exactly as
 * an operator would (inventory's POST /products, order's POST /sales).
 */
import { randomBytes } from 'node:crypto';

export interface SaleSetup {
  inventoryUrl: string;
  orderUrl: string;
  /** Units on offer in the sale. */
  quantity: number;
  perUserLimit: number;
  /** The product's stock of record; at least the sale quantity. */
  productStock?: number;
}

export interface CreatedSale {
  saleId: string;
  sku: string;
  productStock: number;
}

export class StackRequestError extends Error {
  override readonly name = 'StackRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function createSale(setup: SaleSetup): Promise<CreatedSale> {
  const sku = `LOAD-${new Date().toISOString().slice(0, 19).replace(/\D/g, '')}-${randomBytes(2).toString('hex')}`;
  const productStock = setup.productStock ?? setup.quantity * 2;
  await postJson(`${setup.inventoryUrl}/products`, { sku, name: `load test ${sku}`, stock: productStock });
  const now = Date.now();
  const sale = await postJson(`${setup.orderUrl}/sales`, {
    sku,
    title: `load test ${sku}`,
    priceCents: 100,
    quantity: setup.quantity,
    perUserLimit: setup.perUserLimit,
    startsAt: new Date(now - 1_000).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
  });
  return { saleId: (sale as { id: string }).id, sku, productStock };
}

/** Checks a service answers GET /health with 200, with a message that says what to do if not. */
export async function requireHealthy(name: string, baseUrl: string): Promise<void> {
  let status: number;
  try {
    status = (await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5_000) })).status;
  } catch (error) {
    throw new StackRequestError(
      0,
      `the ${name} service does not answer at ${baseUrl} (${error instanceof Error ? error.message : String(error)}): ` +
        'start the stack with `npm start`, or say where it is with --order-url / --inventory-url',
    );
  }
  if (status !== 200)
    throw new StackRequestError(
      status,
      `the ${name} service at ${baseUrl} is not healthy: GET /health ${status}`,
    );
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new StackRequestError(response.status, `POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text);
}
