import { it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const KILLS = pick(5, 25);
const JOBS_PER_ROUND = pick(100, 200);

/** Kills a busy job server with SIGKILL and starts a new one, round after round, while jobs keep coming. */
it('SIGKILL of job servers in a loop under load', async ({ task }) => {
  await runScenario(task, { name: 'SIGKILL loop' }, async (harness) => {
    let servers = await Promise.all([1, 2, 3].map(() => harness.startServer()));
    for (let round = 0; round < KILLS; round += 1) {
      await harness.enqueue({ sleepMs: 150 + (round % 3) * 100 }, JOBS_PER_ROUND);
      const victim = servers[round % servers.length];
      await waitFor('the victim to run jobs', async () => (await harness.runningOn(victim)) >= 3, { timeoutMs: 10_000, intervalMs: 20 });
      await harness.markFault();
      await harness.kill(victim);
      servers = [...servers.filter((server) => server !== victim), await harness.startServer()];
    }
    return {
      notes: `${KILLS} kills of busy servers (3 × 8 slots)`,
      verify: (figures) => {
        // Every kill cut running handlers: their jobs ran again elsewhere.
        if (figures.runs < figures.enqueued + KILLS * 3) throw new Error(`only ${figures.runs - figures.enqueued} reruns: the kills cut nothing`);
      },
    };
  });
});
