import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimJobsStatement } from '../src/jobs/sql/claim-jobs.sql.js';
import { completeAndClaimJobsStatement } from '../src/jobs/sql/complete-and-claim-jobs.sql.js';
import type { Statement } from '../src/jobs/sql/statement.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startJobsTestApp } from './support/jobs-test-app.js';

/**
 * The claim statements as the processor sends them (named, so prepared once per connection), on a migrated table:
 * Postgres must keep a generic plan for them (planning each claim anew cost a third of the statement), and the two
 * LIMITs that make that possible must lock exactly the rows claimed, never the rest of the inner LIMIT's window.
 */
const TABLE = '"jobs".jobs';
const CAP = 50;
const NAMES = ['test.claimed'];
const WORKER = 'test-worker';

describe('claim statements', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let other: pg.Client;

  const run = async (statement: Statement, values: unknown[], on: pg.Client = client) =>
    (await on.query({ name: statement.name, text: statement.text, values })).rows;
  const planKinds = async (statement: Statement) => {
    const [row] = (await client.query(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1`, [statement.name]))
      .rows;
    return { generic: Number(row.generic_plans), custom: Number(row.custom_plans) };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const migrated = await startJobsTestApp({ url: database.url, handlers: [] });
    await migrated.close();
    client = new pg.Client({ connectionString: database.url });
    other = new pg.Client({ connectionString: database.url });
    await Promise.all([client.connect(), other.connect()]);
  });

  afterAll(async () => {
    await Promise.all([client?.end(), other?.end()]);
    await database?.drop();
  });

  beforeEach(async () => {
    await database.query(`TRUNCATE ${TABLE}`);
    await database.query(
      `INSERT INTO ${TABLE} (name, payload) SELECT $1, jsonb_build_object('n', g) FROM generate_series(1, 500) AS g`,
      [NAMES[0]],
    );
    await database.query(`ANALYZE ${TABLE}`);
  });

  it('keeps generic plans for the claim and for complete-and-claim, with batches of every size', async () => {
    const claim = claimJobsStatement('jobs', TABLE, CAP);
    const both = completeAndClaimJobsStatement('jobs', TABLE, CAP);
    let held = await run(claim, [NAMES, 1, WORKER, 30_000]);
    for (let turn = 2; turn <= 12; turn++) {
      // Batch sizes vary as slots free: 2, 3, ... 12 completed and claimed.
      held = (
        await run(both, [NAMES, turn, WORKER, 30_000, held.map((row) => row.id), held.map((row) => row.attempts), held.map(() => '{"ok":1}')])
      ).filter((row) => !row.completed);
      expect(held).toHaveLength(turn);
      await run(claim, [NAMES, 1, WORKER, 30_000]);
    }
    // Postgres plans the first five executions of a prepared statement one by one, then keeps a generic plan only
    // when it looks no costlier: every execution after the fifth must have used it.
    expect(await planKinds(claim)).toEqual({ custom: 5, generic: 7 });
    expect(await planKinds(both)).toEqual({ custom: 5, generic: 6 });
    const states = await database.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM ${TABLE} GROUP BY status ORDER BY status`,
    );
    // 1 + 2 + ... + 11 completed by the combined statement; 12 + the 11 single claims held; the rest pending.
    expect(states).toEqual([
      { status: 'completed', n: 66 },
      { status: 'pending', n: 500 - 66 - 12 - 11 },
      { status: 'processing', n: 12 + 11 },
    ]);
  });

  it('locks only the rows it claims, not the rest of its inner window', async () => {
    const claim = claimJobsStatement('jobs', TABLE, CAP);
    const first = (await database.query<{ id: string }>(`SELECT id FROM ${TABLE} ORDER BY priority, run_at, id LIMIT $1`, [CAP])).map(
      (row) => row.id,
    );
    await client.query('BEGIN');
    try {
      // Past the fifth execution: the generic plan's locking, not only a custom plan's.
      await client.query('SAVEPOINT before');
      let claimed: Array<{ id: string }> = [];
      for (let time = 1; time <= 7; time++) {
        if (time > 1) await client.query('ROLLBACK TO SAVEPOINT before');
        claimed = await run(claim, [NAMES, 3, WORKER, 30_000]);
      }
      expect(claimed.map((row) => row.id).sort()).toEqual(first.slice(0, 3).sort());
      // Another claimer finds every other row of the window free: 47 of the first 50 it can lock.
      const free = await other.query(`SELECT count(*)::int AS n FROM (SELECT id FROM ${TABLE} WHERE id = ANY($1) FOR UPDATE SKIP LOCKED) AS s`, [
        first,
      ]);
      expect(free.rows[0].n).toBe(CAP - 3);
      expect((await planKinds(claim)).generic).toBeGreaterThan(0);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
