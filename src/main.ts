import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp, logLevelsUpTo } from './app.setup.js';
import { deploymentModeOf } from './config/deployment-mode.js';
import { loadEnvironment } from './config/load-environment.js';

const MODE_DESCRIPTIONS = {
  all: 'API and job processing',
  api: 'API only (JOBS_SERVER_DISABLED=true): no job executes here',
  worker: 'job server only (ONLY_JOB_SERVER=true): processing, health',
} as const;

async function bootstrap(): Promise<void> {
  const env = loadEnvironment();
  const mode = deploymentModeOf(env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ mode, demoJobs: env.DEMO_JOBS }), {
    bodyParser: false,
    logger: logLevelsUpTo(env.LOG_LEVEL),
  });
  configureApp(app, env);
  // Listening starts before the database is reached: health answers (503) while it comes up.
  await app.listen(env.PORT);
  Logger.log(`Listening on port ${env.PORT}; mode: ${MODE_DESCRIPTIONS[mode]}`, 'Main');
}

bootstrap().catch((error: Error) => {
  console.error(error.name === 'InvalidEnvironmentError' ? error.message : error);
  process.exit(1);
});
