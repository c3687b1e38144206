import 'reflect-metadata';
import { Logger, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { deploymentModeOf } from './config/deployment-mode.js';
import { loadEnvironment } from './config/load-environment.js';
import { PinoLoggerService } from './logging/pino-logger.service.js';
import { createPinoLogger } from './logging/pino-options.js';

const MODE_DESCRIPTIONS = {
  all: 'API and job processing',
  api: 'API only (JOBS_SERVER_DISABLED=true): no job executes here',
  worker: 'job server only (ONLY_JOB_SERVER=true): processing and health',
} as const;

export interface BootstrapOptions {
  /** Feature modules added to the application (their `@JobHandler`s are discovered like the built-in ones). */
  modules?: Array<Type | DynamicModule>;
}

/**
 * Validates the environment, builds the application for its deployment mode and listens on PORT. Listening
 * starts before the database is reached: health answers 503 while it comes up.
 */
export async function bootstrap(options: BootstrapOptions = {}): Promise<NestExpressApplication> {
  const env = loadEnvironment();
  const mode = deploymentModeOf(env);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      mode,
      demoJobs: env.DEMO_JOBS,
      rateLimit: env.HTTP_RATE_LIMIT > 0 ? { limit: env.HTTP_RATE_LIMIT, windowMs: env.HTTP_RATE_LIMIT_WINDOW_MS } : undefined,
      modules: options.modules,
    }),
    // From the first line on, Nest's own included: pino, JSON or readable (LOG_FORMAT), from LOG_LEVEL up.
    { bodyParser: false, logger: new PinoLoggerService(createPinoLogger(env)) },
  );
  configureApp(app, env);
  await app.listen(env.PORT);
  Logger.log(`Listening on port ${env.PORT}; mode: ${MODE_DESCRIPTIONS[mode]}`, 'Main');
  return app;
}

/** Entry-point error handling: a bad environment prints its message alone (no stack) and exits 1. */
export function exitOnStartupError(error: Error): never {
  console.error(error.name === 'InvalidEnvironmentError' ? error.message : error);
  process.exit(1);
}
