import { registerAs } from '@nestjs/config';
import { deploymentModeOf, type DeploymentMode } from './deployment-mode.js';
import { loadEnvironment } from './load-environment.js';

export interface AppConfig {
  port: number;
  mode: DeploymentMode;
  demoJobs: boolean;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}

export const appConfig = registerAs('app', (): AppConfig => {
  const env = loadEnvironment();
  return { port: env.PORT, mode: deploymentModeOf(env), demoJobs: env.DEMO_JOBS, logLevel: env.LOG_LEVEL };
});
