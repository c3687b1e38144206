import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { API_TOKEN_REALM } from './auth/api-token-realm.js';
import { apiTokenPathPrefixes } from './auth/api-token-routes.js';
import { requireBearerToken } from './auth/api-token.middleware.js';
import { deploymentModeOf, servesApplicationRoutes } from './config/deployment-mode.js';
import type { EnvironmentVariables } from './config/environment.variables.js';
import { setupOpenApi } from './openapi/openapi.setup.js';
import { validationExceptionFactory } from './jobs-api/validation-exception.factory.js';
import { ApiValidationPipe } from './http/api-validation.pipe.js';
import { bodyParserErrors } from './http/body-parser-errors.middleware.js';
import { requireJsonBodies } from './http/json-content-type.middleware.js';
import { RequestTimeoutInterceptor } from './http/request-timeout.interceptor.js';

/**
 * What `main.ts` applies to the application, shared with in-process tests so they exercise the same pipeline:
 * JOBS_API_TOKEN on the controllers guarded by `ApiTokenGuard` (401 before anything else), JSON bodies only (415
 * otherwise) within their size limit, strict validation (unknown fields and query parameters are a 400), a time
 * limit on answers (408), the OpenAPI UI and document where application routes are served, shutdown hooks. The rate
 * limit is a module (`AppModule`).
 */
export function configureApp(app: INestApplication, env: EnvironmentVariables): void {
  const express = app as NestExpressApplication;
  // The client address the rate limit counts by: the connection's, or X-Forwarded-For's behind trusted proxies.
  express.set('trust proxy', env.HTTP_TRUST_PROXY_HOPS);
  // First of all, before the body is even looked at: without the token, a malformed, oversized or non-JSON body is a
  // 401 like any other request, and nothing is read or changed.
  const protectedPrefixes = apiTokenPathPrefixes(app);
  if (env.JOBS_API_TOKEN !== undefined && protectedPrefixes.length > 0) {
    express.use(protectedPrefixes, requireBearerToken(env.JOBS_API_TOKEN, API_TOKEN_REALM));
  }
  express.use(requireJsonBodies);
  // A batch may carry many payloads, each up to JOBS_MAX_PAYLOAD_BYTES (checked per job, 413).
  express.useBodyParser('json', { limit: env.JOBS_MAX_BATCH_BYTES });
  express.use(bodyParserErrors);
  app.useGlobalPipes(
    new ApiValidationPipe(env.JOBS_MAX_BATCH_SIZE, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      // The factory needs the target to tell a JSON array body from an object; it never sends it.
      validationError: { target: true },
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalInterceptors(new RequestTimeoutInterceptor(env.HTTP_REQUEST_TIMEOUT_MS));
  if (servesApplicationRoutes(deploymentModeOf(env))) setupOpenApi(app);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}
