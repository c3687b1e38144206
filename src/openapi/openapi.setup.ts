import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_TOKEN_SECURITY_SCHEME, METRICS_TOKEN_SECURITY_SCHEME } from '../auth/api-token-realm.js';

/** Where the UI is served; the document is at `<path>-json`. */
export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/** The OpenAPI 3 document of the application's routes, generated from the controllers' and DTOs' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nest-pg-jobs')
    .setDescription(
      'Background jobs and schedules on PostgreSQL. Every error is `{ statusCode, error, message, field? }`. ' +
        'When JOBS_API_TOKEN is set, /jobs, /schedules and /demo require `Authorization: Bearer <token>`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'JOBS_API_TOKEN (only when it is set)' }, API_TOKEN_SECURITY_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, on GET /metrics (only when it is set)' }, METRICS_TOKEN_SECURITY_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Serves the UI at `/docs` (swagger-ui assets from the local `swagger-ui-dist`, no CDN) and the document at
 * `/docs-json`; no YAML. Called only where application routes are served: a job server has nothing to document.
 * The document is built on first request, once every route is known.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'nest-pg-jobs API',
  });
}
