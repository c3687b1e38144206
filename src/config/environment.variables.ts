import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off', ''].includes(normalized)) return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

/**
 * Every environment variable the server reads, with its default. `.env.example` documents the same list;
 * `validateEnvironment` rejects a bad value at start-up with a message naming the variable.
 */
export class EnvironmentVariables {
  /** HTTP port for the API, health and metrics. Default 3000. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** PostgreSQL connection URL. Unset: an embedded PostgreSQL is started under EMBEDDED_PG_DATA_DIR. */
  @IsOptional() @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgres:// or postgresql://' })
  DATABASE_URL?: string;

  /** Data folder of the embedded PostgreSQL (only used when DATABASE_URL is unset). Default ./.data/postgres. */
  @IsOptional() @IsString()
  EMBEDDED_PG_DATA_DIR = './.data/postgres';

  /** Maximum connections in the pool of this process. Default 10. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(2) @Max(1000)
  DATABASE_POOL_SIZE = 10;

  /** Postgres schema holding the jobs tables and their migrations table. Default `jobs`. */
  @IsOptional() @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'JOBS_SCHEMA must be a lower-case SQL identifier' })
  JOBS_SCHEMA = 'jobs';

  /** `true`: this container serves everything but executes no job. */
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  JOBS_SERVER_DISABLED = false;

  /** `true`: a dedicated job server: processing only, plus health on PORT. */
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  ONLY_JOB_SERVER = false;

  /** Handlers run at once by this process. Default 10. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1000)
  JOBS_CONCURRENCY = 10;

  /** Comma-separated queues this process claims from. Default: all queues. */
  @IsOptional() @Matches(/^\s*[A-Za-z0-9][A-Za-z0-9_.:-]*(\s*,\s*[A-Za-z0-9][A-Za-z0-9_.:-]*)*\s*$/, {
    message: 'JOBS_QUEUES must be a comma-separated list of queue names',
  })
  JOBS_QUEUES?: string;

  /** Lease of a claimed job, renewed while its handler runs; an expired lease means its worker died. Default 30000. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1000) @Max(3_600_000)
  JOBS_LEASE_MS = 30_000;

  /** How often each processor returns jobs with expired leases. Default 5000. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(100) @Max(3_600_000)
  JOBS_SWEEP_INTERVAL_MS = 5_000;

  /** Polling fallback when no notification arrives (delayed jobs, lost notifications). Default 1000. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(50) @Max(600_000)
  JOBS_POLL_INTERVAL_MS = 1_000;

  /** On SIGTERM, how long running handlers may finish before their jobs are released. Default 25000. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(0) @Max(3_600_000)
  JOBS_SHUTDOWN_GRACE_MS = 25_000;

  /**
   * `true`: a watchdog thread kills the process when a handler still runs at 90% of a lease it could not renew (it
   * blocks the event loop, or ignores its abort signal while the database is unreachable), so that no job ever runs
   * twice at once. Set `false` only to pause the process in a debugger. Default true.
   */
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  JOBS_LEASE_WATCHDOG = true;

  /** Largest accepted payload of one job, in bytes of JSON. Default 1048576 (1 MB). */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(64) @Max(256 * 1024 * 1024)
  JOBS_MAX_PAYLOAD_BYTES = 1_048_576;

  /** Largest accepted HTTP body of `POST /jobs/batch`, in bytes. Default 16777216 (16 MB). */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1024) @Max(1024 * 1024 * 1024)
  JOBS_MAX_BATCH_BYTES = 16_777_216;

  /** Deepest nesting of one job's payload (`{}` and `[]` count one level each); deeper → HTTP 400. Default 32. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(256)
  JOBS_MAX_PAYLOAD_DEPTH = 32;

  /** Most jobs in one `enqueueMany` (`POST /jobs/batch`); more → HTTP 400. Default 10000. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(1_000_000)
  JOBS_MAX_BATCH_SIZE = 10_000;

  /** Largest `limit` of one page of `GET /jobs` (`JobsService.list`); larger → HTTP 400. Default 500. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(100_000)
  JOBS_MAX_PAGE_SIZE = 500;

  /** Requests per client (IP address) per HTTP_RATE_LIMIT_WINDOW_MS on the API, never on health; 0: no limit. Default 0. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(0) @Max(1_000_000)
  HTTP_RATE_LIMIT = 0;

  /** Window of HTTP_RATE_LIMIT, in ms. Default 60000. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1000) @Max(86_400_000)
  HTTP_RATE_LIMIT_WINDOW_MS = 60_000;

  /**
   * Reverse proxies in front of the server whose `X-Forwarded-For` names the client (Express `trust proxy` hops);
   * 0 trusts none, so every request counts against its connection's address. Default 0.
   */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(0) @Max(32)
  HTTP_TRUST_PROXY_HOPS = 0;

  /** Longest time to answer a request once received, in ms; longer → HTTP 408. Default 30000. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(100) @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /**
   * Completed jobs are deleted (by the built-in `jobs.prune` schedule) this many days after they finished; 0 keeps
   * them. Default 7.
   */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(0) @Max(36_500)
  JOBS_RETENTION_COMPLETED_DAYS = 7;

  /** Failed and cancelled jobs are deleted this many days after they finished; 0 keeps them. Default 30. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(0) @Max(36_500)
  JOBS_RETENTION_FAILED_DAYS = 30;

  /** `false` turns off the demo feature module (its routes and its `demo.*` handlers). Default true. */
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  DEMO_JOBS = true;

  /**
   * Bearer token required by the jobs API, the schedules API and the dashboard's data and actions (`Authorization:
   * Bearer <token>`); unset: they are open. Health is never behind it. At least 16 characters.
   */
  @IsOptional() @IsString() @MinLength(16, { message: 'JOBS_API_TOKEN must be at least 16 characters long' })
  @Matches(/^\S+$/, { message: 'JOBS_API_TOKEN must not contain whitespace' })
  JOBS_API_TOKEN?: string;

  /** Bearer token required by `GET /metrics` alone; unset: metrics are open. At least 16 characters. */
  @IsOptional() @IsString() @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  @Matches(/^\S+$/, { message: 'METRICS_TOKEN must not contain whitespace' })
  METRICS_TOKEN?: string;

  /** `production` makes `json` the default LOG_FORMAT. */
  @IsOptional() @IsString()
  NODE_ENV?: string;

  /** `json` (one object per line) or `pretty` (readable). Default: `json` when NODE_ENV=production, else `pretty`. */
  @IsOptional() @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /** `error`, `warn`, `log`, `debug` or `verbose`. Default `log`. */
  @IsOptional() @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
}
