import { it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const JOBS = pick(400, 2_000);
const RESTARTS = pick(1, 5);

/** Postgres restarted (fast shutdown, start on the same port) while job servers work through a backlog. */
it('Postgres restart', async ({ task }) => {
  await runScenario(task, { name: 'Postgres restart', privateCluster: true }, async (harness) => {
    // A production-like ratio: the outage is short next to the lease, so handlers carry on through it.
    const env = { JOBS_LEASE_MS: '6000', JOBS_SWEEP_INTERVAL_MS: '1000' };
    await Promise.all([harness.startServer({ env }), harness.startServer({ env })]);
    const ids = await harness.enqueue({ sleepMs: 100 }, JOBS);
    for (let round = 1; round <= RESTARTS; round += 1) {
      await waitFor('jobs to complete before the restart', async () => (await harness.count(`status = 'completed'`, ids)) >= (round * JOBS) / (RESTARTS + 2), {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      await harness.markFault();
      await harness.cluster!.restart();
    }
    return { notes: `${RESTARTS} restart(s) mid-run, lease 6 s` };
  });
});
