import { JOB_NAME_PATTERN, MAX_ATTEMPTS_LIMIT } from './jobs.constants.js';
import type { JobHandlerOptions } from './interfaces/job-handler-options.interface.js';

const isPositiveInteger = (value: unknown, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max;

/** A mistyped handler option is a start-up error that names the handler, not a surprise at the first failure. */
export function validateHandlerOptions(options: JobHandlerOptions, source: string): void {
  const problems: string[] = [];
  if (options.queue !== undefined && !JOB_NAME_PATTERN.test(options.queue)) problems.push(`queue must match ${JOB_NAME_PATTERN}`);
  if (options.maxAttempts !== undefined && !isPositiveInteger(options.maxAttempts, MAX_ATTEMPTS_LIMIT)) {
    problems.push(`maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  if (options.timeoutMs !== undefined && !isPositiveInteger(options.timeoutMs, 2 ** 31 - 1)) {
    problems.push('timeoutMs must be a positive integer (milliseconds)');
  }
  if (options.backoff?.delayMs !== undefined && !isPositiveInteger(options.backoff.delayMs)) {
    problems.push('backoff.delayMs must be a positive integer (milliseconds)');
  }
  if (options.backoff?.maxDelayMs !== undefined && !isPositiveInteger(options.backoff.maxDelayMs)) {
    problems.push('backoff.maxDelayMs must be a positive integer (milliseconds)');
  }
  if (options.payload !== undefined && typeof options.payload !== 'function') problems.push('payload must be a DTO class');
  if (problems.length > 0) throw new Error(`Invalid @JobHandler options on ${source}: ${problems.join('; ')}.`);
}
