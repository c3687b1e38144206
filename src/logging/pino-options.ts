import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { EnvironmentVariables } from '../config/environment.variables.js';
import { currentJobLogFields } from '../jobs/index.js';

/** Nest's level names onto pino's (`log` is `info`, `verbose` is `trace`). */
export const PINO_LEVELS = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' } as const;

/** What is replaced by `[redacted]` wherever it appears in a line's fields: tokens and credentials. */
const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'databaseUrl',
  '*.databaseUrl',
];

/** `json` unless asked otherwise: the default is `json` under NODE_ENV=production, `pretty` elsewhere. */
export const logFormatOf = (env: Pick<EnvironmentVariables, 'LOG_FORMAT' | 'NODE_ENV'>): 'json' | 'pretty' =>
  env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty');

/**
 * Both formats write in-process (no transport worker thread, so the same on Node 20 and 22) through
 * `process.stdout`, as Nest's console logger did: when the reader of a piped stdout falls behind, lines queue rather
 * than block. pino's synchronous destination would stall the event loop instead — Node puts the pipe in
 * non-blocking mode, and SonicBoom answers each EAGAIN with a 100 ms blocking sleep — and a stalled loop delays
 * lease renewals until the processor aborts its jobs.
 */
function destinationFor(format: 'json' | 'pretty'): DestinationStream {
  if (format === 'json') return process.stdout;
  return pretty({
    destination: process.stdout,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    // `[Context] message`, as Nest prints it; the job's fields and others follow on the same line.
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  });
}

/**
 * The process's pino logger: one JSON object per line (`time`, `level`, `context`, `msg`, then fields) or readable
 * lines, from LOG_LEVEL up. Every line written inside a job's log context carries `jobId`, `jobName` and `attempt`
 * (pino's `mixin`), whoever writes it. Tokens and credentials in fields are redacted.
 */
export function createPinoLogger(
  env: Pick<EnvironmentVariables, 'LOG_FORMAT' | 'NODE_ENV' | 'LOG_LEVEL'>,
  /** Where lines go; default stdout in the format of `env` (another stream: tests). */
  destination: DestinationStream = destinationFor(logFormatOf(env)),
): Logger {
  const options: LoggerOptions = {
    level: PINO_LEVELS[env.LOG_LEVEL],
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => currentJobLogFields() ?? {},
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return pino(options, destination);
}
