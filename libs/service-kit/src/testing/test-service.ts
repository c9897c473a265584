import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import type { Environment } from '../config/load-service-config';
import { dropDatabase } from '../database/database-admin';

/** A service app running on a free port against its own fresh database and Redis key prefix. */
export interface TestService {
  app: NestFastifyApplication;
  /** e.g. `http://127.0.0.1:43121` */
  url: string;
  databaseName: string;
  redisKeyPrefix: string;
  /** The environment the app was configured from. */
  env: Environment;
  /** Closes the app, drops its database and deletes its Redis keys. */
  stop(): Promise<void>;
}

/**
 * Test support: starts a service app the way `main.ts` does, but isolated from every other test. Reads
 * DATABASE_URL and REDIS_URL from `process.env` (the Jest global setup provides them) and overrides
 * DB_NAME and REDIS_KEY_PREFIX with random ones; `overrides` can change anything else. Logs are silent
 * unless TEST_LOG_LEVEL is set.
 */
export async function startTestService(
  service: string,
  create: (env: Environment) => Promise<NestFastifyApplication>,
  overrides: Environment = {},
): Promise<TestService> {
  const databaseName = `${service}_test_${randomBytes(4).toString('hex')}`;
  const redisKeyPrefix = `${databaseName}:`;
  const env: Environment = {
    ...process.env,
    DB_NAME: databaseName,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...overrides,
  };
  let app: NestFastifyApplication | undefined;
  const stop = async () => {
    await app?.close();
    await dropDatabase(requireVariable(env, 'DATABASE_URL'), databaseName);
    await deleteRedisKeys(requireVariable(env, 'REDIS_URL'), redisKeyPrefix).catch(() => undefined);
  };

  try {
    app = await create(env);
    await app.listen(0, '127.0.0.1');
    return { app, url: await app.getUrl(), databaseName, redisKeyPrefix, env, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on (for pointing a client at a dead server). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Deletes every key starting with `prefix` (SCAN, not KEYS, so a shared Redis is not blocked). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    disconnectTimeout: 200,
  });
  // A connection failure rejects the SCAN below; the 'error' event would only repeat it.
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function requireVariable(env: Environment, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} must be set for tests (the Jest global setup provides it)`);
  return value;
}
