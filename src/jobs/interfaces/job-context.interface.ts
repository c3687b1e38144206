import type { LoggerService } from '@nestjs/common';

/** The second argument of every handler. */
export interface JobContext {
  jobId: string;
  name: string;
  queue: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /**
   * Aborted on timeout, on cancel, on shutdown past the grace period and when the lease is lost. A handler that
   * ignores it keeps its lease until it returns (see README: "Handlers that ignore their signal").
   */
  signal: AbortSignal;
  /** Stores 0–100 on the job; calls are coalesced, the latest value wins. */
  progress(percent: number): Promise<void>;
  logger: LoggerService;
}
