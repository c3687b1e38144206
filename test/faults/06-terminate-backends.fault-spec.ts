import { expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { pick } from './support/fault-profile.js';
import { runScenario } from './support/run-scenario.js';

const JOBS = pick(400, 2_000);
const ROUNDS = pick(3, 10);
/** Completions whose statement has its own connection terminated under it. */
const COMPLETION_KILLS = pick(20, 100);

/**
 * pg_terminate_backend of the job servers' connections: every connection of the database, several times, and —
 * through a trigger — the connection of a completion while its statement runs. Every completion is retried on a
 * fresh connection, so no finished job runs again: exactly one execution per job.
 */
it('pg_terminate_backend of the workers’ connections', async ({ task }) => {
  await runScenario(task, { name: 'pg_terminate_backend', privateCluster: true }, async (harness) => {
    const db = harness.database;
    await db.query(`CREATE SEQUENCE fault_completion_kills`);
    // Every other completion statement, COMPLETION_KILLS times, has its connection terminated after its rows changed
    // and before it commits; the retry that follows goes through.
    await db.query(`CREATE FUNCTION fault_kill_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE n bigint;
      BEGIN
        IF EXISTS (SELECT 1 FROM new_rows JOIN old_rows USING (id) WHERE new_rows.status = 'completed' AND old_rows.status = 'processing') THEN
          n := nextval('fault_completion_kills');
          IF n % 2 = 1 AND n < 2 * ${COMPLETION_KILLS} THEN
            PERFORM pg_terminate_backend(pg_backend_pid());
            PERFORM pg_sleep(5);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER fault_kill_completion AFTER UPDATE ON jobs.jobs
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fault_kill_completion()`);
    const env = { JOBS_LEASE_MS: '3000' };
    await Promise.all([harness.startServer({ env }), harness.startServer({ env })]);
    const ids = await harness.enqueue({ sleepMs: 100 }, JOBS);
    let terminated = 0;
    for (let round = 1; round <= ROUNDS; round += 1) {
      await waitFor('jobs to complete before the cut', async () => (await harness.count(`status = 'completed'`, ids)) >= (round * JOBS) / (ROUNDS + 2), {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      await harness.markFault();
      const [cut] = await db.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      terminated += cut.n;
    }
    return {
      notes: `${ROUNDS} cuts (${terminated} connections), ${COMPLETION_KILLS} completions cut mid-statement`,
      verify: async (figures) => {
        const [{ kills }] = await db.query<{ kills: string }>(`SELECT last_value AS kills FROM fault_completion_kills`);
        expect(Number(kills)).toBeGreaterThanOrEqual(2 * COMPLETION_KILLS);
        // A finished job never runs again: one execution per job.
        expect(figures.runs).toBe(figures.enqueued);
      },
    };
  });
});
