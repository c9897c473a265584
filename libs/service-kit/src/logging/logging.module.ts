import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { BaseServiceConfig } from '../config/base-service.config';
import { SERVICE_NAME } from '../config/service-config.module';
import { pinoHttpOptions } from './pino-http.options';

/**
 * Structured logging with pino, for Nest's own messages (`new Logger(Context)`) and one line per HTTP
 * request. {@link createServiceApp} installs it as the application logger.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [BaseServiceConfig, SERVICE_NAME],
      useFactory: (config: BaseServiceConfig, service: string) => ({
        pinoHttp: pinoHttpOptions({ service, level: config.LOG_LEVEL }),
      }),
    }),
  ],
})
export class LoggingModule {}
