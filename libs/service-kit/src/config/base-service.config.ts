// class-transformer's @Type reads decorator metadata; configuration may load before NestJS does.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsConnectionUrl } from './is-connection-url.validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** `host:port` pairs separated by ';', the format RocketMQ clients use for NAMESRV_ADDR. */
const NAME_SERVER_LIST = /^[^\s;:]+:\d{1,5}(;[^\s;:]+:\d{1,5})*$/;

/** A PostgreSQL identifier we can safely use unquoted: lower case, at most 63 characters. */
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// One message per rule set, so that `PORT=abc` gets one clear complaint rather than three.
const PORT_NUMBER = '$property must be an integer from 0 to 65535';
const POOL_SIZE = '$property must be an integer from 1 to 200';

/**
 * The environment variables every service reads. Each service extends this class, giving `PORT`,
 * `DB_NAME` and `REDIS_KEY_PREFIX` their service-specific defaults and adding its own variables.
 *
 * A property initializer is the default used when the variable is unset (or empty); a property
 * without one is required. `@Type(() => Number)` turns the environment's strings into numbers before
 * validation. Read through {@link loadServiceConfig}, never from `process.env` directly.
 */
export class BaseServiceConfig {
  @Type(() => Number)
  @IsInt({ message: PORT_NUMBER })
  @Min(0, { message: PORT_NUMBER })
  @Max(65535, { message: PORT_NUMBER })
  PORT!: number;

  /** Interface to listen on; 0.0.0.0 so the service is reachable from containers and load generators. */
  @IsString()
  HOST = '0.0.0.0';

  /**
   * The PostgreSQL *server* (its path names the maintenance database, usually `postgres`). Each service
   * owns one database on it, `DB_NAME`, created on first start. The default is the embedded PostgreSQL
   * that `npm start` brings up.
   */
  @IsConnectionUrl(['postgres:', 'postgresql:'])
  DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54320/postgres';

  @Matches(DATABASE_NAME, {
    message: '$property must be a lower-case PostgreSQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)',
  })
  DB_NAME!: string;

  /** Connections in this instance's pool; keep instances × pool size below the server's max_connections. */
  @Type(() => Number)
  @IsInt({ message: POOL_SIZE })
  @Min(1, { message: POOL_SIZE })
  @Max(200, { message: POOL_SIZE })
  DB_POOL_SIZE = 10;

  @IsConnectionUrl(['redis:', 'rediss:'])
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prepended to every key this service writes, so several services (and tests) can share one Redis. */
  @IsString()
  REDIS_KEY_PREFIX!: string;

  @Matches(NAME_SERVER_LIST, { message: '$property must be host:port pairs separated by ";"' })
  NAMESRV_ADDR = '127.0.0.1:9876';

  @IsIn(LOG_LEVELS, { message: `$property must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @IsIn(NODE_ENVS, { message: `$property must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: NodeEnv = 'development';

  /** NAMESRV_ADDR as a list of `host:port` addresses. */
  get nameServerAddresses(): string[] {
    return this.NAMESRV_ADDR.split(';');
  }
}
