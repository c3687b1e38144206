import { afterEach, describe, expect, it } from 'vitest';
import { InvalidEnvironmentError, validateEnvironment } from './environment.validation.js';
import { jobsConfig } from './jobs.config.js';

const messageOf = (raw: Record<string, string | undefined>): string => {
  try {
    validateEnvironment(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
};

describe('validateEnvironment', () => {
  it('applies every default to an empty environment', () => {
    expect({ ...validateEnvironment({}) }).toEqual({
      PORT: 3000,
      EMBEDDED_PG_DATA_DIR: './.data/postgres',
      DATABASE_POOL_SIZE: 10,
      JOBS_SCHEMA: 'jobs',
      JOBS_SERVER_DISABLED: false,
      ONLY_JOB_SERVER: false,
      JOBS_CONCURRENCY: 10,
      JOBS_LEASE_MS: 30_000,
      JOBS_SWEEP_INTERVAL_MS: 5_000,
      JOBS_POLL_INTERVAL_MS: 1_000,
      JOBS_SHUTDOWN_GRACE_MS: 25_000,
      JOBS_LEASE_WATCHDOG: true,
      JOBS_MAX_PAYLOAD_BYTES: 1_048_576,
      JOBS_MAX_BATCH_BYTES: 16_777_216,
      JOBS_MAX_PAYLOAD_DEPTH: 32,
      JOBS_MAX_BATCH_SIZE: 10_000,
      JOBS_MAX_PAGE_SIZE: 500,
      HTTP_RATE_LIMIT: 0,
      HTTP_RATE_LIMIT_WINDOW_MS: 60_000,
      HTTP_TRUST_PROXY_HOPS: 0,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      JOBS_RETENTION_COMPLETED_DAYS: 7,
      JOBS_RETENTION_FAILED_DAYS: 30,
      DEMO_JOBS: true,
      LOG_LEVEL: 'log',
    });
  });

  it('treats empty values as unset and ignores unknown variables', () => {
    const env = validateEnvironment({ PORT: '', JOBS_CONCURRENCY: '  ', SOMETHING_ELSE: 'x' });
    expect(env.PORT).toBe(3000);
    expect(env.JOBS_CONCURRENCY).toBe(10);
    expect(env).not.toHaveProperty('SOMETHING_ELSE');
  });

  it('parses integers', () => {
    const env = validateEnvironment({ PORT: '8080', JOBS_CONCURRENCY: '4', JOBS_LEASE_MS: '2000' });
    expect(env).toMatchObject({ PORT: 8080, JOBS_CONCURRENCY: 4, JOBS_LEASE_MS: 2000 });
  });

  it.each([
    ['JOBS_CONCURRENCY', 'ten'],
    ['JOBS_CONCURRENCY', '0'],
    ['JOBS_CONCURRENCY', '1.5'],
    ['PORT', '70000'],
    ['JOBS_LEASE_MS', '999'],
    ['JOBS_MAX_PAYLOAD_BYTES', '1MB'],
    ['JOBS_RETENTION_COMPLETED_DAYS', '-1'],
    ['JOBS_RETENTION_FAILED_DAYS', '7.5'],
    ['JOBS_MAX_PAYLOAD_DEPTH', '0'],
    ['JOBS_MAX_PAYLOAD_DEPTH', '257'],
    ['JOBS_MAX_BATCH_SIZE', '0'],
    ['JOBS_MAX_PAGE_SIZE', 'many'],
    ['HTTP_RATE_LIMIT', '-1'],
    ['HTTP_RATE_LIMIT_WINDOW_MS', '999'],
    ['HTTP_TRUST_PROXY_HOPS', 'true'],
    ['HTTP_REQUEST_TIMEOUT_MS', '99'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(messageOf({ [name]: value })).toContain(`${name}=`);
  });

  it('names every bad variable at once', () => {
    const message = messageOf({ PORT: 'x', JOBS_POLL_INTERVAL_MS: 'y' });
    expect(message).toContain('PORT');
    expect(message).toContain('JOBS_POLL_INTERVAL_MS');
  });

  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['TRUE', true],
  ])('reads the boolean %j as %s', (value, expected) => {
    const env = validateEnvironment({ JOBS_SERVER_DISABLED: value, DEMO_JOBS: value });
    expect(env.JOBS_SERVER_DISABLED).toBe(expected);
    expect(env.DEMO_JOBS).toBe(expected);
  });

  it('rejects a boolean it cannot read, naming the variable', () => {
    expect(messageOf({ ONLY_JOB_SERVER: 'maybe' })).toContain('ONLY_JOB_SERVER=');
  });

  it('rejects JOBS_SERVER_DISABLED and ONLY_JOB_SERVER both true, naming both', () => {
    const message = messageOf({ JOBS_SERVER_DISABLED: 'true', ONLY_JOB_SERVER: '1' });
    expect(message).toContain('JOBS_SERVER_DISABLED');
    expect(message).toContain('ONLY_JOB_SERVER');
    expect(validateEnvironment({ JOBS_SERVER_DISABLED: 'true', ONLY_JOB_SERVER: 'false' }).JOBS_SERVER_DISABLED).toBe(true);
  });

  it('validates DATABASE_URL without echoing it', () => {
    expect(validateEnvironment({ DATABASE_URL: 'postgres://u:p@db:5432/app' }).DATABASE_URL).toBe('postgres://u:p@db:5432/app');
    const message = messageOf({ DATABASE_URL: 'mysql://user:s3cret@db/app' });
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('s3cret');
  });

  it.each(['a', 'a,b', ' a , b ', 'emails,reports.daily,x:y'])('accepts JOBS_QUEUES=%j', (value) => {
    expect(validateEnvironment({ JOBS_QUEUES: value }).JOBS_QUEUES).toBe(value);
  });

  it.each(['a,,b', ',a', 'a,', 'has space', 'a;b'])('rejects JOBS_QUEUES=%j', (value) => {
    expect(messageOf({ JOBS_QUEUES: value })).toContain('JOBS_QUEUES');
  });
});

describe('validateEnvironment: secrets', () => {
  it.each([
    ['JOBS_API_TOKEN', 'short-secret'],
    ['JOBS_API_TOKEN', 'a secret with spaces in it'],
    ['METRICS_TOKEN', 'tiny'],
  ])('rejects a bad %s without showing its value', (name, value) => {
    const message = messageOf({ [name]: value });
    expect(message).toContain(`${name}=(hidden)`);
    expect(message).not.toContain(value);
  });

  it('accepts tokens of 16 characters or more', () => {
    const env = validateEnvironment({ JOBS_API_TOKEN: 'a'.repeat(16), METRICS_TOKEN: 'm-'.repeat(10) });
    expect(env.JOBS_API_TOKEN).toBe('a'.repeat(16));
    expect(env.METRICS_TOKEN).toBe('m-'.repeat(10));
  });
});

describe('jobsConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('splits JOBS_QUEUES into trimmed names; unset means every queue', () => {
    process.env.JOBS_QUEUES = ' emails , reports ';
    expect(jobsConfig().queues).toEqual(['emails', 'reports']);
    delete process.env.JOBS_QUEUES;
    expect(jobsConfig().queues).toBeUndefined();
  });

  it('disables processing only with JOBS_SERVER_DISABLED', () => {
    delete process.env.ONLY_JOB_SERVER;
    process.env.JOBS_SERVER_DISABLED = 'true';
    expect(jobsConfig().processingEnabled).toBe(false);
    process.env.JOBS_SERVER_DISABLED = 'false';
    expect(jobsConfig().processingEnabled).toBe(true);
    process.env.ONLY_JOB_SERVER = 'true';
    expect(jobsConfig().processingEnabled).toBe(true);
  });
});
