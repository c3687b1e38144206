import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { withJobLogContext } from '../jobs/index.js';
import { PinoLoggerService } from './pino-logger.service.js';
import { createPinoLogger } from './pino-options.js';

/** A logger writing JSON lines into an array. */
function capture(level: 'log' | 'debug' = 'log') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = { write: (line: string) => void lines.push(JSON.parse(line)) };
  const service = new PinoLoggerService(createPinoLogger({ LOG_FORMAT: 'json', LOG_LEVEL: level }, stream));
  return { service, lines };
}

describe('PinoLoggerService', () => {
  afterEach(() => Logger.overrideLogger(false));

  it("reads Nest's arguments: the context last, an error's stack before it, objects as fields", () => {
    const { service, lines } = capture();
    service.log('started', 'Main');
    service.error('failed', 'Error: x\n    at f (file.js:1:1)', 'Worker');
    service.warn('slow', { durationMs: 12 }, 'Db');
    expect(lines[0]).toMatchObject({ level: 'info', context: 'Main', msg: 'started' });
    expect(lines[1]).toMatchObject({ level: 'error', context: 'Worker', msg: 'failed', stack: expect.stringContaining('at f') });
    expect(lines[2]).toMatchObject({ level: 'warn', context: 'Db', msg: 'slow', durationMs: 12 });
  });

  it('honours the level: debug lines only from LOG_LEVEL=debug', () => {
    const quiet = capture('log');
    quiet.service.debug('detail', 'X');
    expect(quiet.lines).toEqual([]);
    const verbose = capture('debug');
    verbose.service.debug('detail', 'X');
    expect(verbose.lines).toMatchObject([{ level: 'debug', msg: 'detail' }]);
  });

  it("adds the job's fields to every line inside its log context, also from a plain `new Logger()`", async () => {
    const { service, lines } = capture();
    Logger.overrideLogger(service);
    const logger = new Logger('Handler');
    await withJobLogContext({ jobId: '7', jobName: 'mail.send', attempt: 2 }, async () => {
      await Promise.resolve();
      logger.log('sending');
    });
    logger.log('outside');
    expect(lines[0]).toMatchObject({ context: 'Handler', msg: 'sending', jobId: '7', jobName: 'mail.send', attempt: 2 });
    expect(lines[1]).not.toHaveProperty('jobId');
  });

  it('redacts authorization headers, tokens and passwords in fields', () => {
    const { service, lines } = capture();
    service.warn('request', { headers: { authorization: 'Bearer secret-1' }, token: 'secret-2', db: { password: 'secret-3' } }, 'Http');
    expect(JSON.stringify(lines)).not.toMatch(/secret-/);
    expect(lines[0]).toMatchObject({ headers: { authorization: '[redacted]' }, token: '[redacted]' });
  });
});
