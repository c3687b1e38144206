/** Options of `@JobHandler(name, options)`. All durations in milliseconds. */
export interface JobHandlerOptions {
  /** Default queue of jobs with this name. Default `default`. */
  queue?: string;
  /** Attempts before the job is `failed`. Default 3. */
  maxAttempts?: number;
  /** The handler's signal aborts after this long and the attempt fails. Default: no timeout. */
  timeoutMs?: number;
  /** Retry delay: `delayMs · 2^(attempt−1)`, capped at `maxDelayMs`, with jitter. Default 1000 / 3600000. */
  backoff?: { delayMs?: number; maxDelayMs?: number };
  /** A class-validator DTO the payload must satisfy at enqueue. Default: any JSON. */
  payload?: new (...args: never[]) => object;
}
