import { expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../support/wait-for.js';
import { LEASE_MS, SWEEP_MS, pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const FROZEN_MS = pick(LEASE_MS + SWEEP_MS + 2_000, 15_000);

/**
 * A job server frozen with SIGSTOP past its lease, then SIGCONT: meanwhile the others take its jobs over and finish
 * them; once thawed it aborts its handlers at once and every write it still attempts for those jobs is rejected by
 * the fence (counted: must be above zero).
 */
it('a job server frozen with SIGSTOP past its lease, then SIGCONT', async ({ task }) => {
  await runScenario(task, { name: 'SIGSTOP past the lease' }, async (harness) => {
    const frozen = await harness.startServer();
    // Its eight slots filled with long jobs before the other server exists, so that these are its jobs.
    await harness.enqueue({ sleepMs: 10_000, firstRunOnly: true, progress: true }, 8);
    await waitFor('the server to run its jobs', async () => (await harness.runningOn(frozen)) === 8, { timeoutMs: 10_000, intervalMs: 20 });
    await harness.startServer();
    await harness.enqueue({ sleepMs: 100 }, 100);
    await harness.markFault();
    await harness.freeze(frozen);
    await sleep(FROZEN_MS);
    await harness.thaw(frozen);
    return {
      notes: `frozen ${FROZEN_MS / 1000} s with 8 running jobs (lease ${LEASE_MS / 1000} s)`,
      verify: (figures) => {
        expect(figures.lateWrites).toBeGreaterThan(0);
        expect(frozen.app.output()).toMatch(/Late write rejected: \w+ of job \d+ attempt 1 changed nothing; the job is \w+, attempt 2 of worker/);
        expect(figures.deaths).toBe(0);
      },
    };
  });
});
