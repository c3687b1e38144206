import type { EnvironmentVariables } from './environment.variables.js';

/**
 * What this process does:
 * - `all`: HTTP API and job processing (default);
 * - `api`: HTTP API only, no job executes here (`JOBS_SERVER_DISABLED=true`);
 * - `worker`: job processing only, plus health on PORT (`ONLY_JOB_SERVER=true`).
 */
export type DeploymentMode = 'all' | 'api' | 'worker';

export function deploymentModeOf(env: EnvironmentVariables): DeploymentMode {
  if (env.ONLY_JOB_SERVER) return 'worker';
  if (env.JOBS_SERVER_DISABLED) return 'api';
  return 'all';
}

export const servesApplicationRoutes = (mode: DeploymentMode): boolean => mode !== 'worker';
export const processesJobs = (mode: DeploymentMode): boolean => mode !== 'api';
