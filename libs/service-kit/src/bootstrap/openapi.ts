import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export interface OpenApiOptions {
  title: string;
  description: string;
  version: string;
  /**
   * Operations of routes that are not Nest controllers (plain Fastify routes on a hot path), which
   * the decorators cannot describe; merged into the document's `paths`.
   */
  paths?: OpenAPIObject['paths'];
}

/** Where the API docs are served: the Swagger UI at `GET /docs`, the OpenAPI document at `/docs-json`. */
export const OPENAPI_PATH = 'docs';

/**
 * Serves the OpenAPI document built from the controllers' decorators (plus `options.paths`) and a
 * Swagger UI page for it.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): void {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version)
    .build();
  const document = (): OpenAPIObject => {
    const built = SwaggerModule.createDocument(app, config);
    return { ...built, paths: { ...built.paths, ...options.paths } };
  };
  SwaggerModule.setup(OPENAPI_PATH, app, document, {
    ui: true,
    raw: ['json'],
  });
}
