import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { consumeOnce } from '../src/messaging/consume-once';
import { databaseUrlFor, dropDatabase, ensureDatabaseExists } from '../src/database/database-admin';
import { createProcessedMessageTable } from '../src/messaging/processed-message.migration';

/** Real PostgreSQL: the guarantee lives in its primary key and transaction, so nothing here is faked. */
describe('consumeOnce', () => {
  const serverUrl = process.env.DATABASE_URL!;
  const database = `consume_once_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let dataSource: DataSource;

  beforeAll(async () => {
    await ensureDatabaseExists(serverUrl, database);
    dataSource = new DataSource({ type: 'postgres', url: databaseUrlFor(serverUrl, database), poolSize: 12 });
    await dataSource.initialize();
    const queryRunner = dataSource.createQueryRunner();
    await createProcessedMessageTable(queryRunner);
    await queryRunner.release();
    await dataSource.query('CREATE TABLE stock (sku text PRIMARY KEY, quantity int NOT NULL)');
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(serverUrl, database);
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE processed_message, stock');
    await dataSource.query("INSERT INTO stock VALUES ('sku-1', 100)");
  });

  const deduct = (manager: import('typeorm').EntityManager): Promise<unknown> =>
    manager.query("UPDATE stock SET quantity = quantity - 1 WHERE sku = 'sku-1'");
  const stock = async (): Promise<number> =>
    (await dataSource.query("SELECT quantity FROM stock WHERE sku = 'sku-1'"))[0].quantity;

  it('applies a message once and reports the redelivery as a duplicate', async () => {
    expect((await consumeOnce(dataSource, 'g', 'order-1', deduct)).status).toBe('APPLIED');
    expect((await consumeOnce(dataSource, 'g', 'order-1', deduct)).status).toBe('DUPLICATE');
    expect(await stock()).toBe(99);
  });

  it('keeps groups apart: another group applies the same key for itself', async () => {
    await consumeOnce(dataSource, 'g1', 'order-1', deduct);
    expect((await consumeOnce(dataSource, 'g2', 'order-1', deduct)).status).toBe('APPLIED');
    expect(await stock()).toBe(98);
  });

  it('rolls the marker back with a failed change, so the redelivery applies it', async () => {
    const failing = consumeOnce(dataSource, 'g', 'order-2', async (manager) => {
      await deduct(manager);
      throw new Error('business rule failed after the update');
    });
    await expect(failing).rejects.toThrow('business rule failed');
    expect(await stock()).toBe(100);

    expect((await consumeOnce(dataSource, 'g', 'order-2', deduct)).status).toBe('APPLIED');
    expect(await stock()).toBe(99);
  });

  it('applies exactly once when the same message is delivered ten times at once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => consumeOnce(dataSource, 'g', 'order-3', deduct)),
    );
    expect(outcomes.filter((o) => o.status === 'APPLIED')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'DUPLICATE')).toHaveLength(9);
    expect(await stock()).toBe(99);
  });
});
