import { type DynamicModule, type MiddlewareConsumer, Module } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import { destination } from 'pino';
import { BaseServiceConfig } from '../config/base-service.config';
import { SERVICE_NAME } from '../config/service-config.module';
import { pinoHttpOptions } from './pino-http.options';

/** A route as Nest's middleware configuration names it: `{ path: 'sales/:id/purchases', method }`. */
type RouteInfo = Parameters<ReturnType<MiddlewareConsumer['apply']>['exclude']>[0];

export interface LoggingOptions {
  /**
   * Routes that pino-http leaves alone because they log for themselves. pino-http builds a child
   * logger and serializes the request for every request it sees, even when the line is not written;
   * on a route answering thousands of requests a second that is a real share of the CPU.
   */
  selfLoggingRoutes?: RouteInfo[];
}

/**
 * Structured logging with pino, for Nest's own messages (`new Logger(Context)`) and one line per HTTP
 * request. {@link createServiceApp} installs it as the application logger.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    const exclude = options.selfLoggingRoutes ?? [];
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [BaseServiceConfig, SERVICE_NAME],
          useFactory: (config: BaseServiceConfig, service: string): Params => {
            const options = pinoHttpOptions({ service, level: config.LOG_LEVEL });
            return {
              // Pretty output goes through pino's transport thread; JSON lines go to stdout without
              // blocking the event loop: lines logged while a write is in flight are written together,
              // so a busy service makes one syscall for many lines instead of one per line. Idle, a line
              // is written at once; pino flushes what is left when the process exits.
              pinoHttp: options.transport ? options : [options, destination({ dest: 1, sync: false })],
              exclude: exclude.length > 0 ? exclude : undefined,
            };
          },
        }),
      ],
    };
  }
}
