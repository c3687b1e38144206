import { expect, it } from 'vitest';
import { LEASE_MS, pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const HANG_MS = pick(2 * LEASE_MS, 20_000);

/**
 * A handler that hangs past its timeout (1 s) ignoring its signal, for longer than the lease: its job keeps its
 * lease (renewed) and its slot until the call returns, then records the timeout and retries; it never runs twice
 * at once, and no server is killed for it (its lease was never at risk).
 */
it('a handler hanging past its timeout, ignoring its signal', async ({ task }) => {
  await runScenario(task, { name: 'hang past timeout' }, async (harness) => {
    await Promise.all([1, 2].map(() => harness.startServer()));
    const hung = await harness.enqueue({ sleepMs: HANG_MS, ignoreSignal: true, firstRunOnly: true }, 6, { name: 'fault.timed' });
    await harness.enqueue({ sleepMs: 100 }, 60);
    return {
      notes: `6 handlers hang ${HANG_MS / 1000} s past a 1 s timeout (lease ${LEASE_MS / 1000} s)`,
      verify: async (figures, h) => {
        const rows = await h.database.query<{ attempts: number; errors: Array<{ message: string }> }>(
          `SELECT attempts, errors FROM jobs.jobs WHERE id = ANY($1::bigint[])`,
          [hung],
        );
        for (const row of rows) {
          expect(row.attempts).toBe(2);
          expect(row.errors.map((error) => error.message)).toEqual(['Job timed out after 1000 ms']);
        }
        expect(figures.deaths).toBe(0);
      },
    };
  });
});
