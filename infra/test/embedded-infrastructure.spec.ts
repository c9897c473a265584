import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import Redis from 'ioredis';
import { Client } from 'pg';

// Plain CommonJS helper shared with `npm start` and `npm test`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startInfraProcess } = require('../infra-process.js') as {
  startInfraProcess(options: { forceEmbedded?: boolean }): Promise<{
    databaseUrl: string;
    redisUrl: string;
    dataDir: string;
    stop(): Promise<void>;
  }>;
};

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('local infrastructure without DATABASE_URL / REDIS_URL', () => {
  it('runs a real embedded PostgreSQL and a spawned redis-server, and removes them on stop', async () => {
    const infra = await startInfraProcess({ forceEmbedded: true });
    const pgPort = portOf(infra.databaseUrl);
    const redisPort = portOf(infra.redisUrl);
    try {
      if (process.env.DATABASE_URL) expect(pgPort).not.toBe(portOf(process.env.DATABASE_URL));
      if (process.env.REDIS_URL) expect(redisPort).not.toBe(portOf(process.env.REDIS_URL));

      const pg = new Client({ connectionString: infra.databaseUrl });
      await pg.connect();
      const databases = await pg.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname IN ('order', 'inventory', 'notify') ORDER BY datname",
      );
      expect(databases.rows.map((row) => row.datname)).toEqual(['inventory', 'notify', 'order']);
      await pg.query('CREATE TABLE probe (id int PRIMARY KEY, note text)');
      await pg.query("INSERT INTO probe VALUES (1, 'written')");
      const read = await pg.query<{ note: string }>('SELECT note FROM probe WHERE id = 1');
      expect(read.rows[0].note).toBe('written');
      await pg.end();

      const redis = new Redis(infra.redisUrl);
      await redis.set('probe', 'value');
      expect(await redis.get('probe')).toBe('value');
      redis.disconnect();
    } finally {
      await infra.stop();
    }
    expect(await isListening(pgPort)).toBe(false);
    expect(await isListening(redisPort)).toBe(false);
    expect(existsSync(infra.dataDir)).toBe(false);
  }, 90_000);
});
