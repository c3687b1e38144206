import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './load-environment.js';

export interface SecurityConfig {
  /** JOBS_API_TOKEN; undefined: the jobs and schedules APIs and the dashboard's data are open. */
  apiToken?: string;
  /** METRICS_TOKEN; undefined: `/metrics` is open. */
  metricsToken?: string;
}

export const securityConfig = registerAs('security', (): SecurityConfig => {
  const env = loadEnvironment();
  return { apiToken: env.JOBS_API_TOKEN, metricsToken: env.METRICS_TOKEN };
});
