import { expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../support/wait-for.js';
import { LEASE_MS, pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const DOWN_MS = pick(2 * LEASE_MS, 20_000);

/**
 * Postgres unreachable for longer than the lease while handlers run, some ignoring their signal: the servers abort
 * their handlers at 75% of the lease and pause claims; a server whose handler still runs at 90% is killed by its
 * lease watchdog (and restarted), so that no job runs twice once the database is back.
 */
it('Postgres down for longer than the lease', async ({ task }) => {
  await runScenario(task, { name: 'Postgres down past the lease', privateCluster: true }, async (harness) => {
    const servers = await Promise.all([1, 2].map(() => harness.startServer({ restartOnDeath: true })));
    await harness.enqueue({ sleepMs: 10_000, firstRunOnly: true }, 6);
    await harness.enqueue({ sleepMs: 10_000, firstRunOnly: true, ignoreSignal: true }, 4);
    await harness.enqueue({ sleepMs: 100 }, 100);
    await waitFor('both servers to run long jobs', async () => (await Promise.all(servers.map((server) => harness.runningOn(server)))).every((n) => n >= 3), {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    await harness.markFault();
    await harness.cluster!.stop();
    await sleep(DOWN_MS);
    await harness.cluster!.start();
    return {
      notes: `down ${DOWN_MS / 1000} s (lease ${LEASE_MS / 1000} s); 4 of 10 long jobs ignore their signal`,
      verify: (figures, h) => {
        // The stuck handlers were ended by the watchdog, not left to run into a second execution.
        expect(figures.deaths).toBeGreaterThanOrEqual(1);
        expect(h.servers.some((server) => /\[LeaseWatchdog\]/.test(server.app.output()))).toBe(true);
      },
    };
  });
});
