import { it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const JOBS = pick(400, 2_000);
const CRASHES = pick(1, 5);

/** Postgres crashed (SIGKILL of the postmaster, crash recovery at start) while job servers work through a backlog. */
it('Postgres crash', async ({ task }) => {
  await runScenario(task, { name: 'Postgres crash', privateCluster: true }, async (harness) => {
    const env = { JOBS_LEASE_MS: '6000', JOBS_SWEEP_INTERVAL_MS: '1000' };
    await Promise.all([harness.startServer({ env }), harness.startServer({ env })]);
    const ids = await harness.enqueue({ sleepMs: 100 }, JOBS);
    for (let round = 1; round <= CRASHES; round += 1) {
      await waitFor('jobs to complete before the crash', async () => (await harness.count(`status = 'completed'`, ids)) >= (round * JOBS) / (CRASHES + 2), {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      await harness.markFault();
      await harness.cluster!.crash();
    }
    return { notes: `${CRASHES} crash(es) with recovery mid-run, lease 6 s` };
  });
});
