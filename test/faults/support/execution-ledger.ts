import type { TestDatabase } from '../../support/test-database.js';

/**
 * The fault suite's record of what ran where: `test_executions` (written by test/fixtures/fault-server.mjs, one row
 * per handler execution, times from the database clock, plus the start by the process's own clock), the exit of every job-server process (its unfinished
 * executions ended then), and the periods a process was frozen with SIGSTOP (it ran nothing meanwhile).
 */
export async function createExecutionLedger(database: TestDatabase): Promise<void> {
  await database.query(`CREATE TABLE test_executions (
    id bigserial PRIMARY KEY, token text UNIQUE, job_id bigint NOT NULL, attempt int NOT NULL, pid int NOT NULL,
    started_at timestamptz NOT NULL, ended_at timestamptz, local_started_at timestamptz)`);
  await database.query(`CREATE INDEX ON test_executions (job_id)`);
  await database.query(`CREATE TABLE fault_process_exits (pid int NOT NULL, exited_at timestamptz NOT NULL)`);
  await database.query(`CREATE TABLE fault_freezes (pid int NOT NULL, stopped_at timestamptz NOT NULL, continued_at timestamptz)`);
}

/** Call once the process has exited (so the time is never before its end). */
export async function recordExit(database: TestDatabase, pid: number): Promise<void> {
  await database.query(`INSERT INTO fault_process_exits (pid, exited_at) VALUES ($1, clock_timestamp())`, [pid]);
}

/** Call right after SIGSTOP was delivered; returns the freeze's row for `recordThaw`. */
export async function recordFreeze(database: TestDatabase, pid: number): Promise<void> {
  await database.query(`INSERT INTO fault_freezes (pid, stopped_at) VALUES ($1, clock_timestamp())`, [pid]);
}

/** Call right before sending SIGCONT (so the freeze never seems longer than it was). */
export async function recordThaw(database: TestDatabase, pid: number): Promise<void> {
  await database.query(`UPDATE fault_freezes SET continued_at = clock_timestamp() WHERE pid = $1 AND continued_at IS NULL`, [pid]);
}

export interface ConcurrentPair {
  job_id: string;
  a: string;
  b: string;
  overlap_ms: number;
}

/**
 * Pairs of executions of one job that ran at the same time. An execution without a logged end runs until its
 * process exited (or forever while it runs). Time when one of the two processes was frozen (SIGSTOP) does not count:
 * a frozen handler executes nothing; what it does once thawed does.
 */
export async function concurrentExecutions(database: TestDatabase): Promise<ConcurrentPair[]> {
  return database.query<ConcurrentPair>(`
    WITH exits AS (SELECT pid, min(exited_at) AS exited_at FROM fault_process_exits GROUP BY pid),
    spans AS (
      SELECT e.id, e.job_id, e.pid, e.started_at, COALESCE(e.ended_at, x.exited_at, 'infinity'::timestamptz) AS ended_at
        FROM test_executions e LEFT JOIN exits x ON x.pid = e.pid),
    pairs AS (
      SELECT a.job_id, a.id AS a, b.id AS b, a.pid AS a_pid, b.pid AS b_pid,
             greatest(a.started_at, b.started_at) AS from_at, least(a.ended_at, b.ended_at) AS to_at
        FROM spans a JOIN spans b ON a.job_id = b.job_id AND a.id < b.id
       WHERE a.started_at < b.ended_at AND b.started_at < a.ended_at)
    SELECT job_id::text, a::text, b::text,
           CASE WHEN to_at = 'infinity' THEN -1 ELSE extract(epoch FROM to_at - from_at) * 1000 END::float8 AS overlap_ms
      FROM pairs p
     WHERE NOT EXISTS (
       SELECT 1 FROM fault_freezes f
        WHERE f.pid IN (p.a_pid, p.b_pid) AND f.stopped_at <= p.from_at AND COALESCE(f.continued_at, 'infinity') >= p.to_at)`);
}

/** Executions logged for these jobs. */
export async function executionCount(database: TestDatabase, jobIds: string[]): Promise<number> {
  const [row] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM test_executions WHERE job_id = ANY($1::bigint[])`, [jobIds]);
  return row.n;
}
