import { plainToInstance } from 'class-transformer';
import { isISO8601, validate, type ValidationError } from 'class-validator';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_PAYLOAD_DEPTH,
  DEFAULT_QUEUE,
  JOB_NAME_PATTERN,
  MAX_ATTEMPTS_LIMIT,
  MAX_PRIORITY,
  MIN_PRIORITY,
} from './jobs.constants.js';
import { InvalidJobInputError, PayloadTooLargeError } from './errors/jobs.errors.js';
import type { EnqueueRequest } from './interfaces/enqueue-options.interface.js';
import type { JobsModuleOptions } from './interfaces/jobs-module-options.interface.js';
import type { JobHandlerRegistry } from './job-handler.registry.js';
import type { NewJobRow } from './job.repository.js';
import { findJsonDepthProblem } from './json-depth.js';
import { hasLoneSurrogate, unstorableJsonReason } from './json-storable.js';

const MAX_DELAY_MS = 10 * 365 * 24 * 3600 * 1000;
const MAX_KEY_LENGTH = 255;
// What Postgres' timestamptz and the ISO text of a Date both hold: four-digit years of the common era.
const MIN_RUN_AT_YEAR = 1;
const MAX_RUN_AT_YEAR = 9999;

/** The payload limits of `JobsModuleOptions`, defaults applied. */
export interface PayloadLimits {
  maxPayloadBytes: number;
  maxPayloadDepth: number;
}

export const payloadLimitsOf = (options: JobsModuleOptions): PayloadLimits => ({
  maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
  maxPayloadDepth: options.maxPayloadDepth ?? DEFAULT_MAX_PAYLOAD_DEPTH,
});

/**
 * Checks one enqueue request and resolves it into a row. Every rule lives here, so the HTTP API and feature
 * modules see the same behaviour; `field` prefixes name the element of a batch (`jobs[3].`).
 */
export async function toNewJobRow(
  request: EnqueueRequest,
  registry: JobHandlerRegistry,
  limits: PayloadLimits,
  field = '',
): Promise<NewJobRow> {
  const fail = (name: string, message: string) => new InvalidJobInputError(`${field}${name}`, message);
  if (typeof request.name !== 'string' || !JOB_NAME_PATTERN.test(request.name)) {
    throw fail('name', `must match ${JOB_NAME_PATTERN}`);
  }
  const handler = registry.get(request.name);
  if (!handler) throw fail('name', `no handler is registered for '${request.name}'`);

  const payloadJson = serializePayload(request.payload, `${field}payload`, limits);
  if (handler.options.payload) await validatePayloadDto(handler.options.payload, request.payload, `${field}payload`);

  const priority = request.priority ?? 0;
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    throw fail('priority', `must be an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY}`);
  }
  if (request.runAt !== undefined && request.delayMs !== undefined) {
    throw fail('delayMs', 'give runAt or delayMs, not both');
  }
  let runAt: string | null = null;
  if (request.runAt !== undefined) {
    const date = request.runAt instanceof Date ? request.runAt : new Date(request.runAt);
    // Strict: `new Date` would roll 2024-02-30 over to March 1st.
    if (
      !(request.runAt instanceof Date) &&
      (typeof request.runAt !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}T/.test(request.runAt) ||
        !isISO8601(request.runAt, { strict: true, strictSeparator: true }))
    ) {
      throw fail('runAt', 'must be an ISO 8601 date-time');
    }
    if (Number.isNaN(date.getTime())) throw fail('runAt', 'must be a valid date-time');
    if (date.getUTCFullYear() < MIN_RUN_AT_YEAR || date.getUTCFullYear() > MAX_RUN_AT_YEAR) {
      throw fail('runAt', 'must lie between the years 0001 and 9999');
    }
    runAt = date.toISOString();
  }
  const delayMs = request.delayMs ?? null;
  if (delayMs !== null && (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)) {
    throw fail('delayMs', `must be an integer from 0 to ${MAX_DELAY_MS}`);
  }
  const maxAttempts = request.maxAttempts ?? handler.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw fail('maxAttempts', `must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  const queue = request.queue ?? handler.options.queue ?? DEFAULT_QUEUE;
  if (typeof queue !== 'string' || !JOB_NAME_PATTERN.test(queue)) throw fail('queue', `must match ${JOB_NAME_PATTERN}`);
  const key = request.key ?? null;
  if (
    key !== null &&
    (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || key.includes('\u0000') || hasLoneSurrogate(key))
  ) {
    throw fail('key', `must be a string of 1 to ${MAX_KEY_LENGTH} characters without NUL or unpaired surrogates`);
  }
  return { name: request.name, queue, priority, payload: payloadJson, maxAttempts, runAt, delayMs, key };
}

/**
 * JSON text of the payload; Postgres' jsonb cannot hold NUL characters, so they are refused here, not there. The
 * depth is checked first, without recursion, so that a deeply nested value never reaches `JSON.stringify`.
 */
function serializePayload(payload: unknown, field: string, limits: PayloadLimits): string | null {
  if (payload === undefined) return null;
  const depthProblem = findJsonDepthProblem(payload, limits.maxPayloadDepth);
  if (depthProblem?.kind === 'cycle') throw new InvalidJobInputError(field, 'must be JSON-serializable (it contains itself)');
  if (depthProblem) {
    throw new InvalidJobInputError(field, `nests deeper than ${limits.maxPayloadDepth} levels (JOBS_MAX_PAYLOAD_DEPTH)`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    throw new InvalidJobInputError(field, `must be JSON-serializable (${(error as Error).message})`);
  }
  if (json === undefined) throw new InvalidJobInputError(field, 'must be JSON-serializable');
  const unstorable = unstorableJsonReason(json);
  if (unstorable) throw new InvalidJobInputError(field, unstorable);
  const size = Buffer.byteLength(json);
  if (size > limits.maxPayloadBytes) throw new PayloadTooLargeError(field, size, limits.maxPayloadBytes);
  return json;
}

async function validatePayloadDto(dto: new (...args: never[]) => object, payload: unknown, field: string): Promise<void> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new InvalidJobInputError(field, 'must be an object');
  }
  const errors = await validate(plainToInstance(dto as new () => object, payload), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  if (errors.length > 0) {
    const first = firstLeaf(errors[0], field);
    throw new InvalidJobInputError(first.path, first.message);
  }
}

function firstLeaf(error: ValidationError, prefix: string): { path: string; message: string } {
  const path = `${prefix}.${error.property}`;
  if (error.constraints) return { path, message: Object.values(error.constraints).join('; ') };
  const child = error.children?.[0];
  return child ? firstLeaf(child, path) : { path, message: 'is invalid' };
}
