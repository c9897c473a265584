/**
 * Brings up what the stack needs on this machine: PostgreSQL and Redis, each either the user's (from
 * DATABASE_URL / REDIS_URL) or a local one we start, and the three service databases.
 */
import path from 'node:path';
import { ensureDatabases, startEmbeddedPostgres, usePostgresUrl, type RunningPostgres } from './postgres';
import { spawnRedis, useRedisUrl, type RunningRedis } from './redis';

export const SERVICE_DATABASES = ['order', 'inventory', 'notify'] as const;

export interface Infrastructure {
  databaseUrl: string;
  redisUrl: string;
  postgresEmbedded: boolean;
  redisEmbedded: boolean;
  stop(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Root for local data: `<dataRoot>/postgres`, `<dataRoot>/redis`. */
  dataRoot: string;
  /** Keep data between runs (dev stack) or throw it away (tests). */
  persistent: boolean;
  env?: NodeJS.ProcessEnv;
  /** Ignore DATABASE_URL/REDIS_URL and always start local servers (used to test that path). */
  forceEmbedded?: boolean;
  preferredPorts?: { postgres?: number; redis?: number };
  log?: (line: string) => void;
}

export async function bringUpInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const postgres = await bringUpPostgres(options, env.DATABASE_URL, log);
  let redis: RunningRedis;
  try {
    redis = await bringUpRedis(options, env.REDIS_URL, log);
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  await ensureDatabases(postgres.url, SERVICE_DATABASES);
  return {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    postgresEmbedded: postgres.embedded,
    redisEmbedded: redis.embedded,
    stop: async () => {
      await Promise.allSettled([redis.stop(), postgres.stop()]);
    },
  };
}

function bringUpPostgres(
  options: InfrastructureOptions,
  url: string | undefined,
  log: (line: string) => void,
): Promise<RunningPostgres> {
  if (url && !options.forceEmbedded) return usePostgresUrl(url);
  return startEmbeddedPostgres({
    dataDir: path.join(options.dataRoot, 'postgres'),
    preferredPort: options.preferredPorts?.postgres,
    log: (line) => log(`[postgres] ${line}`),
  });
}

function bringUpRedis(
  options: InfrastructureOptions,
  url: string | undefined,
  log: (line: string) => void,
): Promise<RunningRedis> {
  if (url && !options.forceEmbedded) return useRedisUrl(url);
  return spawnRedis({
    dataDir: path.join(options.dataRoot, 'redis'),
    persistent: options.persistent,
    preferredPort: options.preferredPorts?.redis,
    log: (line) => log(`[redis] ${line}`),
  });
}
