import { expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { LEASE_MS, pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const BLOCK_MS = pick(2 * LEASE_MS, 20_000);

/**
 * A handler that blocks the event loop past the lease: the server cannot renew, and nothing in its main thread can
 * run. Its lease watchdog (a thread of its own) kills it at 90% of the lease, before the job can be handed to
 * another server; the orchestrator (here the harness) starts a new one.
 */
it('a handler blocking the event loop past the lease', async ({ task }) => {
  await runScenario(task, { name: 'event loop blocked past the lease' }, async (harness) => {
    await Promise.all([1, 2].map(() => harness.startServer({ restartOnDeath: true })));
    await harness.enqueue({ sleepMs: 200 }, 60);
    const blockers = await harness.enqueue({ blockMs: BLOCK_MS, firstRunOnly: true }, 2);
    await harness.enqueue({ sleepMs: 200 }, 60);
    await waitFor('a blocking handler to start', async () => (await harness.executions(blockers)) > 0, { timeoutMs: 10_000, intervalMs: 10 });
    await harness.markFault();
    await waitFor('the blocking jobs to complete', async () => (await harness.count(`status = 'completed'`, blockers)) === 2, {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    return {
      notes: `2 handlers block for ${BLOCK_MS / 1000} s (lease ${LEASE_MS / 1000} s)`,
      verify: (figures, h) => {
        expect(figures.deaths).toBeGreaterThanOrEqual(1);
        expect(h.servers.some((server) => /\[LeaseWatchdog\].*killing this process/.test(server.app.output()))).toBe(true);
      },
    };
  });
});
