import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Logger as Pino } from 'pino';
import { PINO_LEVELS } from './pino-options.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

const looksLikeStack = (value: unknown): value is string => typeof value === 'string' && /\n\s+at /.test(value);

/**
 * Nest's `LoggerService` on pino: what Nest and every `new Logger(context)` write goes through it. Nest passes the
 * context as the last string argument and, for errors, a stack before it; plain objects become fields of the line.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** LOG_LEVEL decides; Nest's own level list is not used. */
  setLogLevels(_levels: LogLevel[]): void {}

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    const target = this.pino[PINO_LEVELS[level]].bind(this.pino);
    if (!this.pino.isLevelEnabled(PINO_LEVELS[level])) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string' && !looksLikeStack(rest[rest.length - 1])) {
      fields.context = rest.pop();
    }
    for (const param of rest) {
      if (looksLikeStack(param)) fields.stack = param;
      else if (isPlainObject(param)) Object.assign(fields, param);
      else if (param !== undefined) fields.details = [...((fields.details as unknown[]) ?? []), param];
    }
    if (message instanceof Error) target({ ...fields, err: message }, message.message);
    else if (isPlainObject(message)) target({ ...fields, ...message });
    else target(fields, String(message));
  }
}
