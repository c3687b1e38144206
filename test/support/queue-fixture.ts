import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './app-process.js';
import type { TestDatabase } from './test-database.js';

const run = promisify(execFile);

export interface QueueShape {
  finished: number;
  due: number;
  delayed: number;
  processing: number;
}

/**
 * A migrated jobs table shaped like a busy installation's: many finished rows (completed, failed, cancelled), a
 * backlog of due jobs, delayed ones and running ones; vacuumed and analysed as autovacuum would leave it.
 * Migrations through the migration CLI (`node dist/database/migration-cli.js`), as an operator would run them.
 */
export async function seedQueue(database: TestDatabase, shape: QueueShape): Promise<void> {
  await run(process.execPath, ['dist/database/migration-cli.js'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url },
  });
  await database.query(
    `INSERT INTO jobs.jobs (name, status, payload, result, attempts, run_at, created_at, started_at, finished_at)
     SELECT 'demo.echo', CASE WHEN g % 50 = 0 THEN 'failed' WHEN g % 97 = 0 THEN 'cancelled' ELSE 'completed' END,
            jsonb_build_object('n', g), jsonb_build_object('n', g), 1, now() - make_interval(secs => g),
            now() - make_interval(secs => g), now() - make_interval(secs => g), now() - make_interval(secs => g - 1)
       FROM generate_series(1, $1::int) AS g`,
    [shape.finished],
  );
  await database.query(
    `INSERT INTO jobs.jobs (name, status, priority, payload, run_at)
     SELECT 'demo.echo', 'pending', (g % 5) - 2, jsonb_build_object('n', g),
            CASE WHEN g <= $1 THEN now() - make_interval(secs => g % 600) ELSE now() + make_interval(mins => g % 120 + 1) END
       FROM generate_series(1, $1::int + $2::int) AS g`,
    [shape.due, shape.delayed],
  );
  await database.query(
    `INSERT INTO jobs.jobs (name, status, payload, attempts, worker_id, locked_until, started_at)
     SELECT 'demo.echo', 'processing', '{}'::jsonb, 1, 'job-server-0:1:seed', now() + interval '30 seconds', now()
       FROM generate_series(1, $1::int)`,
    [shape.processing],
  );
  await database.query('VACUUM ANALYZE jobs.jobs');
}

export interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of an `EXPLAIN (FORMAT JSON)` plan, depth first. */
export function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}
