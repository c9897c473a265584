import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { BaseServiceConfig } from '../config/base-service.config';
import { SERVICE_NAME } from '../config/service-config.module';
import { databaseUrlFor, ensureDatabaseExists } from './database-admin';
import { TypeOrmNestLogger } from './typeorm-nest.logger';

export interface DatabaseOptions {
  /** The service's entity classes (listed explicitly, so a forgotten one fails loudly at start-up). */
  entities: NonNullable<DataSourceOptions['entities']>;
  /**
   * The service's migrations, oldest first: files `src/database/migrations/<timestamp>-<name>.ts`,
   * each exporting a class `<Name><timestamp>` that implements `MigrationInterface`.
   */
  migrations: (new () => MigrationInterface)[];
}

/** Our TypeORM options plus what the data source factory needs to create the database first. */
type ServiceDataSourceOptions = PostgresConnectionOptions & {
  retryAttempts: number;
  retryDelay: number;
  serverUrl: string;
  databaseName: string;
};

/** Give up on a new connection after this long, so health checks and requests fail instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Queries slower than this are logged as warnings. */
const SLOW_QUERY_MS = 1_000;

/**
 * The service's PostgreSQL connection: database `DB_NAME` on the `DATABASE_URL` server, created on
 * first start and brought up to date by running pending migrations before the app accepts requests.
 * The schema only ever changes through migrations: `synchronize` is off, always.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [BaseServiceConfig, SERVICE_NAME],
          useFactory: (config: BaseServiceConfig, service: string) =>
            dataSourceOptions(config, service, options),
          // Called inside @nestjs/typeorm's retry loop, so a server that is still starting is waited for.
          dataSourceFactory: async (given?: DataSourceOptions) => {
            const { serverUrl, databaseName } = given as ServiceDataSourceOptions;
            await ensureDatabaseExists(serverUrl, databaseName);
            return new DataSource(given as DataSourceOptions);
          },
        }),
      ],
    };
  }
}

function dataSourceOptions(
  config: BaseServiceConfig,
  service: string,
  options: DatabaseOptions,
): ServiceDataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrlFor(config.DATABASE_URL, config.DB_NAME),
    serverUrl: config.DATABASE_URL,
    databaseName: config.DB_NAME,
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: true,
    // One transaction per migration: a failing migration rolls back alone and names itself in the log.
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName: service,
    poolSize: config.DB_POOL_SIZE,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    maxQueryExecutionTime: SLOW_QUERY_MS,
    logger: new TypeOrmNestLogger(),
    logging: ['error', 'warn', 'migration'],
    retryAttempts: 5,
    retryDelay: 2_000,
  };
}
