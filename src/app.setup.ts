import { ValidationPipe, type INestApplication, type LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EnvironmentVariables } from './config/environment.variables.js';
import { validationExceptionFactory } from './jobs-api/validation-exception.factory.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Log levels up to the configured one. */
export const logLevelsUpTo = (level: EnvironmentVariables['LOG_LEVEL']): LogLevel[] =>
  LEVELS.slice(0, LEVELS.indexOf(level) + 1);

/**
 * What `main.ts` applies to the application, shared with in-process tests so they exercise the same pipeline:
 * body limits, strict validation (unknown fields and query parameters are a 400), shutdown hooks.
 */
export function configureApp(app: INestApplication, env: EnvironmentVariables): void {
  const express = app as NestExpressApplication;
  // A batch may carry many payloads, each up to JOBS_MAX_PAYLOAD_BYTES (checked per job, 413).
  express.useBodyParser('json', { limit: env.JOBS_MAX_BATCH_BYTES });
  app.useGlobalPipes(
    new ValidationPipe({
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
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}
