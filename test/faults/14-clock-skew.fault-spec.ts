import { expect, it } from 'vitest';
import { LEASE_MS, pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const JOBS = pick(120, 600);

/**
 * Job servers whose clocks disagree by two hours (libfaketime: one an hour behind, one an hour ahead, one right):
 * leases are set and judged by the database clock, so no live job is rescued early and none runs twice.
 */
it('clock skew between processes', async ({ task }) => {
  await runScenario(task, { name: 'clock skew ±1 h' }, async (harness) => {
    const behind = await harness.startServer({ faketime: '-1h' });
    await harness.startServer({ faketime: '+1h' });
    await harness.startServer();
    // Each job outlives several renewals (every 667 ms).
    await harness.enqueue({ sleepMs: 1_500 }, JOBS);
    return {
      notes: `3 servers at −1 h, +1 h, ±0; ${JOBS} jobs of 1.5 s, lease ${LEASE_MS / 1000} s`,
      verify: async (figures, h) => {
        // Every job completed in its first attempt: no lease was judged expired early.
        expect(await h.count(`attempts = 1 AND errors = '[]'::jsonb`)).toBe(figures.enqueued);
        expect(figures.runs).toBe(figures.enqueued);
        // The skew was real: by their own clocks, the servers started their jobs an hour early, on time, an hour late.
        const skews = await h.database.query<{ pid: number; skew_s: number }>(
          `SELECT pid, round(avg(extract(epoch FROM local_started_at - started_at)))::int AS skew_s FROM test_executions GROUP BY pid`,
        );
        expect(skews.map((row) => Math.round(row.skew_s / 600) * 600).sort((a, b) => a - b)).toEqual([-3600, 0, 3600]);
        expect(skews.find((row) => row.pid === behind.app.pid)?.skew_s).toBeLessThan(-3500);
      },
    };
  });
});
