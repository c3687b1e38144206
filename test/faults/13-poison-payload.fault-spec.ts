import { expect, it } from 'vitest';
import { LEASE_MS } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const MAX_ATTEMPTS = 3;

/**
 * A poison payload whose handler crashes the whole process every time: each server that takes it dies (and is
 * restarted); the lease sweep counts each lost run as an attempt, so the job ends `failed` after its max attempts,
 * and every other job still completes.
 */
it('a poison payload crashing the handler every time', async ({ task }) => {
  await runScenario(task, { name: 'poison payload' }, async (harness) => {
    await Promise.all([1, 2, 3].map(() => harness.startServer({ restartOnDeath: true })));
    await harness.enqueue({ sleepMs: 100 }, 60);
    const [poison] = await harness.enqueue({ crash: true }, 1, { maxAttempts: MAX_ATTEMPTS, expect: 'failed' });
    await harness.enqueue({ sleepMs: 100 }, 60);
    return {
      notes: `1 poison job, max attempts ${MAX_ATTEMPTS}, lease ${LEASE_MS / 1000} s`,
      verify: async (figures, h) => {
        const [row] = await h.database.query<{ attempts: number; errors: Array<{ message: string }> }>(
          `SELECT attempts, errors FROM jobs.jobs WHERE id = $1`,
          [poison],
        );
        expect(row.attempts).toBe(MAX_ATTEMPTS);
        expect(row.errors).toHaveLength(MAX_ATTEMPTS);
        for (const error of row.errors) expect(error.message).toMatch(/^Lease expired: worker .* stopped renewing it/);
        expect(figures.deaths).toBe(MAX_ATTEMPTS);
      },
    };
  });
});
