/** `POST /products` and `GET /products/:sku` over HTTP, against the real app and database. */
import { type InventoryTestEnv, startInventoryTestEnv } from './support/inventory-test-env';

let env: InventoryTestEnv;

beforeAll(async () => {
  env = await startInventoryTestEnv();
}, 120_000);

afterAll(() => env?.stop());

const post = (body: unknown) =>
  fetch(`${env.service.url}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

it('creates a product and reports its stock and movement totals', async () => {
  const created = await post({ sku: 'PHONE-128G', name: 'Phone', stock: 100 });

  expect(created.status).toBe(201);
  expect(await created.json()).toMatchObject({
    sku: 'PHONE-128G',
    name: 'Phone',
    stock: 100,
    deducted: 0,
    released: 0,
  });
  const fetched = await fetch(`${env.service.url}/products/PHONE-128G`);
  expect(fetched.status).toBe(200);
  expect(await fetched.json()).toMatchObject({ sku: 'PHONE-128G', stock: 100, deducted: 0, released: 0 });
});

it('answers 409 PRODUCT_EXISTS for a SKU that exists, leaving its stock alone', async () => {
  await post({ sku: 'DUP-1', name: 'First', stock: 5 });

  const again = await post({ sku: 'DUP-1', name: 'Second', stock: 500 });

  expect(again.status).toBe(409);
  expect(await again.json()).toMatchObject({ statusCode: 409, code: 'PRODUCT_EXISTS' });
  expect(await (await fetch(`${env.service.url}/products/DUP-1`)).json()).toMatchObject({
    name: 'First',
    stock: 5,
  });
});

it('answers 404 PRODUCT_NOT_FOUND for an unknown SKU', async () => {
  const response = await fetch(`${env.service.url}/products/NOPE`);

  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
});

it.each([
  ['a negative stock', { sku: 'BAD-1', name: 'x', stock: -1 }],
  ['a fractional stock', { sku: 'BAD-2', name: 'x', stock: 1.5 }],
  ['a SKU with spaces', { sku: 'BAD 3', name: 'x', stock: 1 }],
  ['no name', { sku: 'BAD-4', stock: 1 }],
  ['an unknown field', { sku: 'BAD-5', name: 'x', stock: 1, price: 3 }],
])('answers 400 for %s', async (_case, body) => {
  expect((await post(body)).status).toBe(400);
});
