import type { EnvironmentVariables } from './environment.variables.js';
import { validateEnvironment } from './environment.validation.js';

/** The one place that reads `process.env`: validated and typed; throws naming every bad variable. */
export function loadEnvironment(): EnvironmentVariables {
  return validateEnvironment(process.env);
}
