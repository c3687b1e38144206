import { Logger } from '@nestjs/common';
import type { JobOutcome } from './job-outcome.writer.js';
import type { JobRun } from './job-run.js';
import { errorDetails } from './error-details.js';
import { withJobLogContext } from './job-log-context.js';
import { SELF_ABORT_AT } from './lease-keeper.js';
import { retryDelayMs } from './retry-delay.js';
import { serializeResult } from './serialize-result.js';

/** How a handler call ended. */
export type HandlerSettlement = { threw: false; value: unknown } | { threw: true; error: unknown };

/** Turns settled handlers into the outcomes their rows receive. */
export class JobOutcomes {
  private readonly logger = new Logger('JobProcessor');

  constructor(private readonly leaseMs: number) {}

  /**
   * What a settled handler means for its row, given why (if at all) its signal was aborted. A handler aborted
   * because its lease could not be renewed in time records what it produced: the fence stores it only if the job is
   * still ours (nobody could take it while the database was unreachable), and rejects it otherwise.
   */
  of(run: JobRun, settled: HandlerSettlement): JobOutcome {
    switch (run.abortCause) {
      case 'cancelled':
        return { kind: 'cancelled', job: run.held };
      case 'lease-lost':
        if (settled.threw) return this.failure(run, `Job aborted: its lease could not be renewed within ${Math.round(this.leaseMs * SELF_ABORT_AT)} ms`);
        break;
      case 'shutdown':
        return { kind: 'released', job: run.held };
      case 'timeout':
        return this.failure(run, new Error(`Job timed out after ${run.handler.options.timeoutMs} ms`));
      case undefined:
        break;
    }
    // `threw`, not `error !== undefined`: `throw undefined` is a failure too.
    if (settled.threw) return this.failure(run, settled.error);
    const serialized = serializeResult(settled.value);
    if ('error' in serialized) return this.failure(run, serialized.error);
    return { kind: 'completed', job: run.held, result: serialized.json };
  }

  /**
   * The failure recorded instead of an outcome Postgres refused to store (one bad row fails its job alone), for the
   * run that produced it; undefined gives the row up to the lease sweep.
   */
  refused(run: JobRun | undefined, outcome: JobOutcome, error: unknown): JobOutcome | undefined {
    if (!run || run.attempt !== outcome.job.attempt) return undefined;
    const reason = errorDetails(error).message;
    if (outcome.kind === 'completed') return this.failure(run, `The handler's result could not be stored: ${reason}`);
    if (outcome.kind === 'failed') return this.failure(run, `The handler's error could not be stored: ${reason}`);
    return undefined;
  }

  private failure(run: JobRun, error: unknown): JobOutcome {
    const { message, stack } = errorDetails(error);
    const last = run.attempt >= run.maxAttempts;
    // Written after the handler's call, outside its log context: the job's fields are given explicitly.
    withJobLogContext(run.logFields, () =>
      this.logger.warn(`Job ${run.name}#${run.jobId} attempt ${run.attempt}/${run.maxAttempts} failed${last ? ' for good' : ''}: ${message}`),
    );
    return {
      kind: 'failed',
      job: { ...run.held, message, stack, retryDelayMs: retryDelayMs(run.attempt, run.handler.options.backoff) },
    };
  }
}
