import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './environment.variables.js';

/** Thrown at start-up when an environment variable is invalid; its message names every bad variable. */
export class InvalidEnvironmentError extends Error {
  override name = 'InvalidEnvironmentError';
}

/** Variables whose values never appear in an error message (they carry passwords or tokens). */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'JOBS_API_TOKEN', 'METRICS_TOKEN']);

/**
 * Validates and types the environment. Unknown variables are ignored (the process environment holds many);
 * empty strings count as unset so that `FOO=` in a compose file means "default".
 */
export function validateEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const defined: Record<string, string> = {};
  for (const name of [...known, 'DATABASE_URL', 'JOBS_QUEUES']) {
    const value = raw[name];
    if (value !== undefined && value.trim() !== '') defined[name] = value;
  }
  const env = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const shown = SECRET_VARIABLES.has(error.property) ? '(hidden)' : JSON.stringify(defined[error.property]);
      return `${error.property}=${shown}: ${Object.values(error.constraints ?? {}).join('; ')}`;
    });
    throw new InvalidEnvironmentError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  if (env.JOBS_SERVER_DISABLED && env.ONLY_JOB_SERVER) {
    throw new InvalidEnvironmentError(
      'Invalid environment: JOBS_SERVER_DISABLED=true and ONLY_JOB_SERVER=true contradict each other ' +
        '(a job-only server that executes no job). Set at most one of them.',
    );
  }
  return env;
}
