/** The command-line flags every load-test command takes to find the stack (see stack-target.ts). */
import type { ParseArgsConfig } from 'node:util';
import type { StackOverrides } from './stack-target';

export const STACK_OPTIONS = {
  'order-url': { type: 'string' },
  'inventory-url': { type: 'string' },
  'notify-url': { type: 'string' },
  namesrv: { type: 'string' },
  'database-url': { type: 'string' },
  'redis-url': { type: 'string' },
  'sale-prefix': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const STACK_OPTIONS_HELP = `Where the stack is (default: npm start's, from .data/stack.json; env in brackets):
  --order-url URL       order service      [ORDER_URL, http://127.0.0.1:3001]
  --inventory-url URL   inventory service  [INVENTORY_URL, http://127.0.0.1:3002]
  --notify-url URL      notify service     [NOTIFY_URL, http://127.0.0.1:3003]
  --namesrv HOST:PORT   NameServer         [NAMESRV_ADDR, 127.0.0.1:9876]
  --database-url URL    PostgreSQL server  [DATABASE_URL]
  --redis-url URL       Redis              [REDIS_URL]
  --sale-prefix P       SALE_KEY_PREFIX    [SALE_KEY_PREFIX, flashsale:]`;

type StackFlags = { [K in keyof typeof STACK_OPTIONS]?: string };

export function stackOverridesOf(flags: StackFlags): StackOverrides {
  return {
    orderUrl: flags['order-url'],
    inventoryUrl: flags['inventory-url'],
    notifyUrl: flags['notify-url'],
    nameServer: flags.namesrv,
    databaseUrl: flags['database-url'],
    redisUrl: flags['redis-url'],
    salePrefix: flags['sale-prefix'],
  };
}
