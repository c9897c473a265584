import { type DynamicModule, type Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { type OpenApiOptions, setupOpenApi } from './openapi';

export interface ServiceAppOptions {
  /** Largest request body accepted, in bytes (default 64 KiB): our requests are small JSON objects. */
  bodyLimit?: number;
  /** Serve an OpenAPI document at `/docs-json`. */
  openApi?: OpenApiOptions;
}

const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Creates (but does not start) a service's Nest application on Fastify, configured the same way in
 * production and in tests: `await createServiceApp(AppModule.forRoot(config))`, then `app.listen(...)`.
 */
export async function createServiceApp(
  rootModule: Type | DynamicModule,
  options: ServiceAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // X-Forwarded-For is only trusted when a proxy we know of sets it; none does here.
    trustProxy: false,
    // Requests are logged by pino-http (LoggingModule), not by Fastify's own logger.
    logger: false,
    // Only plain Fastify routes with a JSON schema use this (Nest routes validate with ValidationPipe):
    // make it as strict as the ValidationPipe below, so `"1"` is not a number and an unknown property
    // is a 400, not silently dropped. Fastify's defaults coerce types and remove additional properties.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    // Keep start-up messages until pino is installed, so that every line has the same format.
    bufferLogs: true,
    // Throw start-up errors to the caller instead of calling process.abort().
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
    }),
  );
  // SIGINT/SIGTERM close the app (HTTP server, then the modules' shutdown hooks: database pool,
  // Redis) and then exit with code 0.
  app.enableShutdownHooks(['SIGINT', 'SIGTERM'], { useProcessExit: true });
  if (options.openApi) setupOpenApi(app, options.openApi);
  return app;
}
