import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler, JobNotFoundError } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

const ran: string[] = [];

@Injectable()
class TransactionalHandlers {
  @JobHandler('test.after-commit')
  afterCommit(payload: { label: string }) {
    ran.push(payload.label);
    return payload;
  }
}

class Rollback extends Error {}

describe('enqueue inside a caller transaction', () => {
  let database: TestDatabase;
  let app: JobsTestApp;

  const rowsLabelled = (label: string) =>
    database.query(`SELECT * FROM jobs.jobs WHERE payload->>'label' = $1`, [label]);
  const completed = (id: string) =>
    waitFor(`job ${id} to complete`, async () => {
      const [row] = await database.query(`SELECT * FROM jobs.jobs WHERE id = $1 AND status = 'completed'`, [id]);
      return row;
    }, { timeoutMs: 10_000 });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({
      url: database.url,
      handlers: [TransactionalHandlers],
      processing: { concurrency: 2, pollIntervalMs: 50, shutdownGraceMs: 500 },
    });
    await app.dataSource.query(`CREATE TABLE orders (id serial PRIMARY KEY, label text NOT NULL)`);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('stores no job when the transaction rolls back', async () => {
    let enqueuedId: string | undefined;
    const outcome = app.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO orders (label) VALUES ('rolled-back')`);
      const { job } = await app.jobs.enqueue('test.after-commit', { label: 'rolled-back' }, { manager });
      const [many] = await app.jobs.enqueueMany([{ name: 'test.after-commit', payload: { label: 'rolled-back' } }], { manager });
      expect(many.created).toBe(true);
      enqueuedId = job.id;
      throw new Rollback('feature failed after enqueueing');
    });
    await expect(outcome).rejects.toBeInstanceOf(Rollback);

    expect(enqueuedId).toMatch(/^\d+$/);
    expect(await rowsLabelled('rolled-back')).toHaveLength(0);
    expect(await database.query(`SELECT * FROM orders WHERE label = 'rolled-back'`)).toHaveLength(0);
    await expect(app.jobs.get(enqueuedId!)).rejects.toBeInstanceOf(JobNotFoundError);
    // The processor has claimed since (a later job ran), and never saw it.
    const { job: later } = await app.jobs.enqueue('test.after-commit', { label: 'after-rollback' });
    await completed(later.id);
    expect(ran).not.toContain('rolled-back');
  });

  it('stores and processes the job once the transaction commits', async () => {
    const job = await app.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO orders (label) VALUES ('committed')`);
      return (await app.jobs.enqueue('test.after-commit', { label: 'committed' }, { manager })).job;
    });
    const row = await completed(job.id);
    expect(row.result).toEqual({ label: 'committed' });
    expect(await database.query(`SELECT * FROM orders WHERE label = 'committed'`)).toHaveLength(1);
  });

  it('keeps a job of an open transaction invisible and unclaimed until commit', async () => {
    const runner = app.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const { job } = await app.jobs.enqueue('test.after-commit', { label: 'held-open' }, { manager: runner.manager });
      // Another connection cannot see it.
      expect(await database.query(`SELECT id FROM jobs.jobs WHERE id = $1`, [job.id])).toHaveLength(0);
      await expect(app.jobs.get(job.id)).rejects.toBeInstanceOf(JobNotFoundError);
      // The processor keeps claiming meanwhile (a job enqueued later runs) without touching it.
      const { job: bystander } = await app.jobs.enqueue('test.after-commit', { label: 'bystander' });
      await completed(bystander.id);
      expect(ran).toContain('bystander');
      expect(ran).not.toContain('held-open');
      // Its own transaction sees it pending, untouched.
      const [inside] = await runner.query(`SELECT status, attempts FROM jobs.jobs WHERE id = $1`, [job.id]);
      expect(inside).toEqual({ status: 'pending', attempts: 0 });

      await runner.commitTransaction();
      const row = await completed(job.id);
      expect(row.attempts).toBe(1);
      expect(ran.filter((label) => label === 'held-open')).toHaveLength(1);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
