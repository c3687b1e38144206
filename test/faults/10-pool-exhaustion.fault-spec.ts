import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const JOBS = pick(1_000, 4_000);
const HOLD_MS = pick(6_000, 30_000);

/**
 * Pool exhaustion, both kinds: job servers whose pool (2 connections) is far smaller than their concurrency (50),
 * and, mid-run, another client that takes every connection the cluster has (max_connections), cutting the servers'
 * own, so that for a while no connection can be had at all ("too many clients").
 */
it('pool exhaustion', async ({ task }) => {
  await runScenario(task, { name: 'pool exhaustion', privateCluster: true }, async (harness) => {
    const env = { DATABASE_POOL_SIZE: '2', JOBS_CONCURRENCY: '50' };
    await Promise.all([1, 2].map(() => harness.startServer({ env })));
    const ids = await harness.enqueue({ sleepMs: 100 }, JOBS);
    await waitFor('a quarter of the jobs to complete', async () => (await harness.count(`status = 'completed'`, ids)) >= JOBS / 4, {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    await harness.markFault();
    const hog: pg.Client[] = [];
    try {
      // Take every free connection, then cut the servers' and take theirs too, until no slot is left.
      for (let round = 0; round < 3; round += 1) {
        for (;;) {
          const client = new pg.Client({ connectionString: harness.database.url });
          client.on('error', () => undefined);
          try {
            await client.connect();
            hog.push(client);
          } catch {
            break;
          }
        }
        await hog[0].query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND pid <> ALL($1::int[])`,
          [hog.map((client) => (client as unknown as { processID: number }).processID)],
        );
      }
      await sleep(HOLD_MS);
    } finally {
      await Promise.all(hog.map((client) => client.end().catch(() => undefined)));
    }
    return { notes: `pool 2 for 50 slots; every connection of the cluster (${hog.length}) held ${HOLD_MS / 1000} s` };
  });
});
