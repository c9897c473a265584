import { type DynamicModule, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BaseServiceConfig } from '../config/base-service.config';
import { ConfigValidationError } from '../config/config-validation.error';
import { createServiceApp, type ServiceAppOptions } from './create-service-app';

export interface BootstrapOptions<C extends BaseServiceConfig> {
  service: string;
  /** Reads and validates the configuration (throws {@link ConfigValidationError}). */
  loadConfig: () => C;
  /** The root module for that configuration, e.g. `(config) => AppModule.forRoot(config)`. */
  module?: (config: C) => DynamicModule;
  /** Or the whole app, for services that need more than HTTP (see createHybridServiceApp). */
  create?: (config: C) => Promise<NestFastifyApplication>;
  app?: ServiceAppOptions;
}

/** If closing takes longer than this after a signal, something holds the process open: exit anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * The whole of a service's `main.ts`: load the configuration, create the app, listen on HOST:PORT and
 * log where. Any start-up failure is logged and ends the process with code 1.
 */
export async function bootstrapService<C extends BaseServiceConfig>(
  options: BootstrapOptions<C>,
): Promise<void> {
  const logger = new Logger('Bootstrap');
  let app: NestFastifyApplication | undefined;
  try {
    const config = options.loadConfig();
    app = await createApp(options, config);
    await app.listen({ port: config.PORT, host: config.HOST });
    const docs = options.app?.openApi ? ', OpenAPI at /docs-json' : '';
    logger.log(`${options.service} service listening on http://${config.HOST}:${config.PORT}${docs}`);
    enforceShutdownDeadline(logger);
  } catch (error) {
    // When Nest fails before its logger is installed, start-up messages are still buffered: print them.
    Logger.flush();
    logger.error(`${options.service} service failed to start: ${describe(error)}`);
    await app?.close().catch(() => undefined);
    process.exit(1);
  }
}

function createApp<C extends BaseServiceConfig>(
  options: BootstrapOptions<C>,
  config: C,
): Promise<NestFastifyApplication> {
  if (options.create) return options.create(config);
  if (options.module) return createServiceApp(options.module(config), options.app);
  throw new Error(`bootstrapService(${options.service}) needs either module or create`);
}

/** Nest closes the app on SIGINT/SIGTERM; this makes sure a hung close still ends the process. */
function enforceShutdownDeadline(logger: Logger): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received, shutting down`);
      setTimeout(() => {
        logger.error(`Shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway`);
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
    });
  }
}

function describe(error: unknown): string {
  // A configuration error's message says everything; its stack trace would only bury it.
  if (error instanceof ConfigValidationError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
