import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { booksTargetOf, resolveStackTarget, StackNotFoundError } from './stack-target';

describe('resolveStackTarget', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'stack-target-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("reads the servers from npm start's stack.json and uses its default ports for the rest", () => {
    writeFileSync(
      path.join(dataDir, 'stack.json'),
      JSON.stringify({
        databaseUrl: 'postgres://p@127.0.0.1:54320/postgres',
        redisUrl: 'redis://127.0.0.1:6380',
      }),
    );
    const stack = resolveStackTarget({}, { FLASHSALE_DATA_DIR: dataDir });
    expect(stack).toMatchObject({
      orderUrl: 'http://127.0.0.1:3001',
      nameServer: '127.0.0.1:9876',
      databaseUrl: 'postgres://p@127.0.0.1:54320/postgres',
      redisUrl: 'redis://127.0.0.1:6380',
      salePrefix: 'flashsale:',
    });
    expect(booksTargetOf(stack, 'sale-1')).toMatchObject({
      orderDatabaseUrl: 'postgres://p@127.0.0.1:54320/order',
      inventoryDatabaseUrl: 'postgres://p@127.0.0.1:54320/inventory',
      notifyDatabaseUrl: 'postgres://p@127.0.0.1:54320/notify',
      nameServer: '127.0.0.1:9876',
      saleId: 'sale-1',
    });
  });

  it('lets the environment override the file and a flag override the environment', () => {
    writeFileSync(
      path.join(dataDir, 'stack.json'),
      JSON.stringify({ databaseUrl: 'postgres://file/postgres', redisUrl: 'redis://file' }),
    );
    const env = {
      FLASHSALE_DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://env/postgres',
      ORDER_URL: 'http://env',
    };
    const stack = resolveStackTarget({ orderUrl: 'http://flag' }, env);
    expect(stack).toMatchObject({
      databaseUrl: 'postgres://env/postgres',
      redisUrl: 'redis://file',
      orderUrl: 'http://flag',
    });
  });

  it('says how to find the stack when nothing tells where PostgreSQL is', () => {
    expect(() => resolveStackTarget({}, { FLASHSALE_DATA_DIR: dataDir })).toThrow(StackNotFoundError);
    expect(() => resolveStackTarget({}, { FLASHSALE_DATA_DIR: dataDir })).toThrow(/npm start/);
  });
});
