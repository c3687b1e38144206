import type { TestDatabase } from './test-database.js';

/**
 * The table `test.record` (test/fixtures/recording-server.mjs) writes each execution to. `token` is chosen by the
 * handler so that a write retried after a dropped connection never logs one execution twice.
 */
export async function createExecutionLog(database: TestDatabase): Promise<void> {
  await database.query(`CREATE TABLE IF NOT EXISTS test_executions (
    id bigserial PRIMARY KEY, token text UNIQUE, job_id bigint NOT NULL, attempt int NOT NULL, pid int NOT NULL,
    started_at timestamptz NOT NULL, ended_at timestamptz)`);
  await database.query(`CREATE TABLE IF NOT EXISTS test_killed_pids (pid int PRIMARY KEY, killed_at timestamptz NOT NULL)`);
}

/** Call right after SIGKILLing a server: its unfinished executions ended at that moment. */
export async function recordKill(database: TestDatabase, pid: number): Promise<void> {
  await database.query(`INSERT INTO test_killed_pids (pid, killed_at) VALUES ($1, clock_timestamp())`, [pid]);
}

/**
 * Pairs of executions of one job whose time spans overlap. An execution without an end counts as running until its
 * process was killed (recordKill), or forever when it was not killed — which is then a double run if anything
 * else ran the job after it started.
 */
export async function overlappingExecutions(database: TestDatabase): Promise<Array<{ job_id: string; a: string; b: string }>> {
  return database.query(`
    WITH spans AS (
      SELECT e.id, e.job_id, e.started_at,
             COALESCE(e.ended_at, k.killed_at, 'infinity'::timestamptz) AS ended_at
        FROM test_executions e LEFT JOIN test_killed_pids k ON k.pid = e.pid)
    SELECT a.job_id, a.id AS a, b.id AS b
      FROM spans a JOIN spans b ON a.job_id = b.job_id AND a.id < b.id
     WHERE a.started_at < b.ended_at AND b.started_at < a.ended_at`);
}
