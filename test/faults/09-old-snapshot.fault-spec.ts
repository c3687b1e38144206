import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'vitest';
import { pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const HOLD_MS = pick(15_000, 60_000);

/**
 * A long transaction holds an old snapshot (and an xid), so vacuum can remove none of the rows that jobs leave
 * dead behind them, while job servers work through a steady stream of jobs: claims, renewals and completions keep
 * working on a bloating table.
 */
it('a long transaction holding back vacuum under load', async ({ task }) => {
  await runScenario(task, { name: 'old snapshot held under load', privateCluster: true }, async (harness) => {
    await Promise.all([1, 2].map(() => harness.startServer()));
    const holder = new pg.Client({ connectionString: harness.database.url });
    await holder.connect();
    let deadRows = 0;
    try {
      await holder.query(`BEGIN ISOLATION LEVEL REPEATABLE READ`);
      await holder.query(`SELECT count(*) FROM jobs.jobs`);
      await holder.query(`SELECT txid_current()`);
      await harness.markFault();
      const until = performance.now() + HOLD_MS;
      while (performance.now() < until) {
        await harness.enqueue({ sleepMs: 20 }, 50);
        await sleep(250);
      }
      const [stats] = await harness.database.query<{ dead: number }>(
        `SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE schemaname = 'jobs' AND relname = 'jobs'`,
      );
      deadRows = stats?.dead ?? 0;
      await holder.query(`COMMIT`);
    } finally {
      await holder.end();
    }
    return { notes: `snapshot held ${HOLD_MS / 1000} s; ${deadRows} dead row versions kept by it` };
  });
});
