import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Sends TypeORM's messages through the Nest logger (and so through pino), instead of TypeORM's
 * default console logger. Queries are logged at debug level only when they fail or are slow.
 */
export class TypeOrmNestLogger implements TypeOrmLogger {
  private readonly logger = new Logger('TypeORM');

  logQuery(query: string): void {
    this.logger.debug(query);
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[]): void {
    const message = error instanceof Error ? error.message : error;
    this.logger.error(`Query failed: ${message} -- ${query}${formatParameters(parameters)}`);
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[]): void {
    this.logger.warn(`Slow query (${time} ms): ${query}${formatParameters(parameters)}`);
  }

  logSchemaBuild(message: string): void {
    this.logger.log(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.log(String(message));
  }
}

function formatParameters(parameters: unknown[] | undefined): string {
  return parameters?.length ? ` -- parameters: ${JSON.stringify(parameters)}` : '';
}
