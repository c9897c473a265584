import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { BaseServiceConfig } from './base-service.config';
import { ConfigValidationError } from './config-validation.error';
import { loadServiceConfig, maskCredentials } from './load-service-config';

/** A service's configuration as the apps write it: service defaults plus one variable of its own. */
class ExampleConfig extends BaseServiceConfig {
  override PORT = 3999;
  override DB_NAME = 'example';
  override REDIS_KEY_PREFIX = 'example:';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  BATCH_SIZE = 32;
}

/** No defaults for the service-specific variables, so they are required. */
class BareConfig extends BaseServiceConfig {}

function loadError(
  env: Record<string, string | undefined>,
  schema: new () => BaseServiceConfig = ExampleConfig,
) {
  try {
    loadServiceConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadServiceConfig', () => {
  it('applies the defaults when nothing is set', () => {
    const config = loadServiceConfig(ExampleConfig, {});

    expect(config).toBeInstanceOf(ExampleConfig);
    expect(config).toMatchObject({
      PORT: 3999,
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:54320/postgres',
      DB_NAME: 'example',
      DB_POOL_SIZE: 10,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'example:',
      NAMESRV_ADDR: '127.0.0.1:9876',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      BATCH_SIZE: 32,
    });
  });

  it('reads and converts the variables that are set, treating empty ones as unset', () => {
    const config = loadServiceConfig(ExampleConfig, {
      PORT: '8080',
      DATABASE_URL: 'postgresql://app:secret@db_1:5432/postgres?sslmode=disable',
      DB_NAME: 'order_test_1',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      NAMESRV_ADDR: 'ns1:9876;ns2:9876',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
      BATCH_SIZE: '7',
      REDIS_KEY_PREFIX: '',
    });

    expect(config.PORT).toBe(8080);
    expect(config.DB_NAME).toBe('order_test_1');
    expect(config.BATCH_SIZE).toBe(7);
    expect(config.REDIS_KEY_PREFIX).toBe('example:');
    expect(config.nameServerAddresses).toEqual(['ns1:9876', 'ns2:9876']);
  });

  it('reads only the variables the schema declares', () => {
    const config = loadServiceConfig(ExampleConfig, { PATH: '/usr/bin', HOME: '/root' });

    expect(config).not.toHaveProperty('PATH');
    expect(config).not.toHaveProperty('HOME');
  });

  it('lists every invalid variable in one error', () => {
    const error = loadError({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root@localhost/db',
      REDIS_URL: 'localhost:6379',
      NAMESRV_ADDR: 'ns1',
      LOG_LEVEL: 'verbose',
      DB_NAME: 'Order-DB',
      BATCH_SIZE: '0',
    });

    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'BATCH_SIZE',
      'DATABASE_URL',
      'DB_NAME',
      'LOG_LEVEL',
      'NAMESRV_ADDR',
      'PORT',
      'REDIS_URL',
    ]);
    expect(error.message).toMatch(/^Invalid environment for ExampleConfig \(7 problems\):/);
    expect(error.message).toContain('PORT="eighty": PORT must be an integer from 0 to 65535\n');
    expect(error.message).toContain('DATABASE_URL must be a URL starting with postgres:// or postgresql://');
    expect(error.message).toContain(
      'REDIS_URL="localhost:6379": REDIS_URL must be a URL starting with redis://',
    );
    expect(error.message).toContain(
      'NAMESRV_ADDR="ns1": NAMESRV_ADDR must be host:port pairs separated by ";"',
    );
    expect(error.message).toContain(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(error.message).toContain('DB_NAME="Order-DB": DB_NAME must be a lower-case PostgreSQL identifier');
    expect(error.message).toContain('BATCH_SIZE="0": BATCH_SIZE must not be less than 1');
  });

  it('reports required variables that are missing', () => {
    const error = loadError({}, BareConfig);

    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'DB_NAME',
      'PORT',
      'REDIS_KEY_PREFIX',
    ]);
    expect(error.message).toContain('  - PORT=(not set): PORT is required\n');
    expect(error.message).toContain('  - REDIS_KEY_PREFIX=(not set): REDIS_KEY_PREFIX is required');
  });

  it('does not repeat passwords in the error message', () => {
    const error = loadError({ DATABASE_URL: 'mysql://app:s3cret@db/postgres' });

    expect(error.message).toContain('"mysql://app:***@db/postgres"');
    expect(error.message).not.toContain('s3cret');
  });
});

describe('maskCredentials', () => {
  it('masks only the password of a URL', () => {
    expect(maskCredentials('postgres://u:p@h:5432/d')).toBe('postgres://u:***@h:5432/d');
    expect(maskCredentials('redis://h:6379')).toBe('redis://h:6379');
    expect(maskCredentials(undefined)).toBeUndefined();
  });
});
