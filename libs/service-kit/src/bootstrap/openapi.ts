import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export interface OpenApiOptions {
  title: string;
  description: string;
  version: string;
}

/** Where the API docs are served: the Swagger UI at `GET /docs`, the OpenAPI document at `/docs-json`. */
export const OPENAPI_PATH = 'docs';

/** Serves the OpenAPI document built from the controllers' decorators and a Swagger UI page for it. */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): void {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version)
    .build();
  SwaggerModule.setup(OPENAPI_PATH, app, () => SwaggerModule.createDocument(app, config), {
    ui: true,
    raw: ['json'],
  });
}
