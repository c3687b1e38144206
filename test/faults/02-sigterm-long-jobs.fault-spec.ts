import { it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const ROUNDS = pick(2, 6);
const LONG_MS = pick(6_000, 15_000);

/**
 * SIGTERM while long jobs run, some of them ignoring their signal: the server drains (grace 1 s), hands the jobs
 * whose handlers stop back to `pending`, keeps the lease of those that do not, and exits; the rest recover.
 */
it('SIGTERM during long jobs', async ({ task }) => {
  await runScenario(task, { name: 'SIGTERM during long jobs' }, async (harness) => {
    const env = { JOBS_CONCURRENCY: '6', JOBS_SHUTDOWN_GRACE_MS: '1000' };
    const servers = [await harness.startServer({ env }), await harness.startServer({ env })];
    for (let round = 0; round < ROUNDS; round += 1) {
      await harness.enqueue({ sleepMs: LONG_MS, firstRunOnly: true }, 8);
      await harness.enqueue({ sleepMs: LONG_MS, firstRunOnly: true, ignoreSignal: true }, 2);
      await harness.enqueue({ sleepMs: 100 }, 40);
      const victim = servers[round % 2];
      await waitFor('the victim to run jobs', async () => (await harness.runningOn(victim)) >= 3, { timeoutMs: 10_000, intervalMs: 20 });
      await harness.markFault();
      await harness.terminate(victim);
      servers[round % 2] = await harness.startServer({ env });
    }
    return {
      notes: `${ROUNDS} drains (grace 1 s) of servers running ${LONG_MS / 1000} s jobs, 1 in 5 ignoring its signal`,
      verify: (figures) => {
        if (figures.runs <= figures.enqueued) throw new Error('no drain interrupted a job: the scenario did not test anything');
      },
    };
  });
});
