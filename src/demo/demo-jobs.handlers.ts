import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobHandler, type JobContext } from '../jobs/index.js';
import { FailPayload, SleepPayload } from './demo-payloads.js';

const SLEEP_STEPS = 20;

/** Handlers that show the intended use and give operators something to try. */
@Injectable()
export class DemoJobsHandlers {
  // A plain Nest logger: its lines inside a handler carry the job's id, name and attempt without passing them.
  private readonly logger = new Logger('DemoJobs');

  /** Result = payload. */
  @JobHandler('demo.echo')
  echo(payload: unknown): unknown {
    return payload ?? null;
  }

  /** Sleeps in steps, storing progress after each; stops as soon as its signal aborts. */
  @JobHandler('demo.sleep', { payload: SleepPayload })
  async sleep(payload: SleepPayload, context: JobContext): Promise<{ sleptMs: number }> {
    const step = payload.ms / SLEEP_STEPS;
    for (let index = 1; index <= SLEEP_STEPS; index++) {
      await sleep(step, undefined, { signal: context.signal });
      await context.progress((index * 100) / SLEEP_STEPS);
    }
    return { sleptMs: payload.ms };
  }

  @JobHandler('demo.fail', { payload: FailPayload, backoff: { delayMs: 100, maxDelayMs: 2_000 } })
  fail(payload: FailPayload, context: JobContext): { succeededOnAttempt: number } {
    const failing = payload.times === undefined || context.attempt <= payload.times;
    this.logger.log(failing ? `Failing as asked: ${payload.message}` : 'Succeeding this time');
    if (failing) throw new Error(payload.message);
    return { succeededOnAttempt: context.attempt };
  }
}
