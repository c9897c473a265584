/**
 * Where the stack under test is: the services' HTTP addresses, the NameServer, PostgreSQL and Redis.
 * A flag wins over an environment variable, which wins over the `stack.json` that `npm start` writes
 * into its data dir (embedded PostgreSQL and Redis get their ports at start-up), which wins over the
 * defaults of `npm start`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseUrlFor } from '@flashsale/service-kit';
import type { BooksTarget } from '../books/books';

export interface StackTarget {
  orderUrl: string;
  inventoryUrl: string;
  notifyUrl: string;
  nameServer: string;
  /** The PostgreSQL server; each service has its own database on it (DB_NAME: order, inventory, notify). */
  databaseUrl: string;
  redisUrl: string;
  /** SALE_KEY_PREFIX of the order and inventory services. */
  salePrefix: string;
  databases: { order: string; inventory: string; notify: string };
}

export type StackOverrides = Partial<Record<keyof Omit<StackTarget, 'databases'>, string>>;

export class StackNotFoundError extends Error {
  override readonly name = 'StackNotFoundError';
}

const ROOT = path.resolve(__dirname, '../../..');

export function resolveStackTarget(
  overrides: StackOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): StackTarget {
  const saved = readStackFile(env.FLASHSALE_DATA_DIR ?? path.join(ROOT, '.data'));
  const given = (key: keyof StackOverrides, variable: string): string | undefined =>
    overrides[key] ?? env[variable];
  const pick = (key: keyof StackOverrides, variable: string, fallback: string): string =>
    given(key, variable) ?? fallback;
  const databaseUrl = given('databaseUrl', 'DATABASE_URL') ?? saved.databaseUrl;
  const redisUrl = given('redisUrl', 'REDIS_URL') ?? saved.redisUrl;
  if (!databaseUrl || !redisUrl) {
    throw new StackNotFoundError(
      'cannot tell where PostgreSQL and Redis are: start the stack with `npm start` (it writes .data/stack.json) ' +
        'or give DATABASE_URL and REDIS_URL (or --database-url / --redis-url)',
    );
  }
  return {
    orderUrl: pick('orderUrl', 'ORDER_URL', 'http://127.0.0.1:3001'),
    inventoryUrl: pick('inventoryUrl', 'INVENTORY_URL', 'http://127.0.0.1:3002'),
    notifyUrl: pick('notifyUrl', 'NOTIFY_URL', 'http://127.0.0.1:3003'),
    nameServer: pick('nameServer', 'NAMESRV_ADDR', '127.0.0.1:9876'),
    databaseUrl,
    redisUrl,
    salePrefix: pick('salePrefix', 'SALE_KEY_PREFIX', 'flashsale:'),
    databases: { order: 'order', inventory: 'inventory', notify: 'notify' },
  };
}

/** What the books-balance checker needs to check `saleId` on this stack. */
export function booksTargetOf(stack: StackTarget, saleId: string, initialProductStock?: number): BooksTarget {
  return {
    orderDatabaseUrl: databaseUrlFor(stack.databaseUrl, stack.databases.order),
    inventoryDatabaseUrl: databaseUrlFor(stack.databaseUrl, stack.databases.inventory),
    notifyDatabaseUrl: databaseUrlFor(stack.databaseUrl, stack.databases.notify),
    redisUrl: stack.redisUrl,
    salePrefix: stack.salePrefix,
    nameServer: stack.nameServer,
    saleId,
    initialProductStock,
  };
}

function readStackFile(dataDir: string): { databaseUrl?: string; redisUrl?: string } {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, 'stack.json'), 'utf8');
  } catch {
    return {}; // no stack started from this checkout: flags and environment must say
  }
  const parsed = JSON.parse(text) as { databaseUrl?: unknown; redisUrl?: unknown };
  return {
    databaseUrl: typeof parsed.databaseUrl === 'string' ? parsed.databaseUrl : undefined,
    redisUrl: typeof parsed.redisUrl === 'string' ? parsed.redisUrl : undefined,
  };
}
