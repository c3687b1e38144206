import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

/** Labels in the order the handlers ran them (one process, concurrency 1: the claim order). */
const executed: string[] = [];

@Injectable()
class OrderingHandlers {
  @JobHandler('test.ordered')
  ordered(payload: { label: string }) {
    executed.push(payload.label);
    return { label: payload.label };
  }

  @JobHandler('test.delayed')
  delayed(payload: { label: string }) {
    executed.push(payload.label);
    return { ranAt: Date.now() };
  }
}

describe('claim order and delayed jobs', () => {
  let database: TestDatabase;
  let producer: JobsTestApp;
  let worker: JobsTestApp | undefined;

  const rowsByLabel = async (name: string) => {
    const rows = await database.query(`SELECT * FROM jobs.jobs WHERE name = $1`, [name]);
    return new Map(rows.map((row) => [(row.payload as { label: string }).label, row]));
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // Enqueues only: nothing can claim before every job of the priority test is stored.
    producer = await startJobsTestApp({ url: database.url, handlers: [OrderingHandlers] });
  });

  afterAll(async () => {
    await worker?.close();
    await producer?.close();
    await database?.drop();
  });

  it('runs lower priorities first, ties by run-at, then by id (concurrency 1)', async () => {
    const base = Date.now() - 60_000;
    const at = (offsetMs: number) => new Date(base + offsetMs);
    const enqueue = (label: string, options: { priority?: number; runAt?: Date } = {}) =>
      producer.jobs.enqueue('test.ordered', { label }, options);

    // Stored in an order that matches none of the rules, so each rule has to do its part.
    await enqueue('max', { priority: 1000 });
    await enqueue('p5', { priority: 5 });
    await enqueue('p0-due-now', { priority: 0 });
    await enqueue('p-3-late', { priority: -3, runAt: at(2_000) });
    await producer.jobs.enqueueMany([
      { name: 'test.ordered', payload: { label: 'p0-tie-1' }, runAt: at(0) },
      { name: 'test.ordered', payload: { label: 'p0-tie-2' }, runAt: at(0) },
      { name: 'test.ordered', payload: { label: 'p0-tie-3' }, runAt: at(0) },
    ]);
    await enqueue('p-3-early', { priority: -3, runAt: at(1_000) });
    await enqueue('p0-earliest', { priority: 0, runAt: at(-1_000) });
    await enqueue('min', { priority: -1000 });
    const stored = await database.query(`SELECT count(*)::int AS n FROM jobs.jobs WHERE status = 'pending' AND attempts = 0`);
    expect(stored[0].n).toBe(10);

    worker = await startJobsTestApp({
      url: database.url,
      handlers: [OrderingHandlers],
      processing: { concurrency: 1, pollIntervalMs: 100, shutdownGraceMs: 1_000 },
    });
    await waitFor('all ten jobs to complete', async () => {
      const rows = await database.query(`SELECT count(*)::int AS n FROM jobs.jobs WHERE status = 'completed'`);
      return rows[0].n === 10;
    });

    const expected = [
      'min',
      'p-3-early',
      'p-3-late',
      'p0-earliest',
      'p0-tie-1',
      'p0-tie-2',
      'p0-tie-3',
      'p0-due-now',
      'p5',
      'max',
    ];
    expect(executed).toEqual(expected);
    // The rows agree with the handler's record: each started no earlier than the one before it.
    const rows = await rowsByLabel('test.ordered');
    const starts = expected.map((label) => (rows.get(label)!.started_at as Date).getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const row of rows.values()) {
      expect(row.attempts).toBe(1);
      expect(row.worker_id).toBe(worker.processor!.workerId);
    }
  });

  it('does not start delayed jobs (delayMs, runAt) before their time, then completes them', async () => {
    expect(worker).toBeDefined();
    executed.length = 0;
    const delayMs = 1_200;
    const { job: delayedJob } = await producer.jobs.enqueue('test.delayed', { label: 'delayMs' }, { delayMs });
    const runAt = new Date(Date.now() + delayMs);
    const { job: scheduledJob } = await producer.jobs.enqueue('test.delayed', { label: 'runAt' }, { runAt });
    expect(scheduledJob.runAt).toBe(runAt.toISOString());
    // A job due now, enqueued after them: once it has run, the processor has claimed since the delayed ones existed.
    const { job: marker } = await producer.jobs.enqueue('test.ordered', { label: 'marker' });
    await waitFor('the marker job to complete', async () => {
      const [row] = await database.query(`SELECT status FROM jobs.jobs WHERE id = $1`, [marker.id]);
      return row?.status === 'completed';
    });

    // Watch them until they are due (database clock). Each look is one statement: its status and its "not yet due"
    // come from one snapshot, so a claim cannot slip in between.
    let lastEarly: Array<Record<string, unknown>> | undefined;
    let executedWhileEarly: string[] = [];
    await waitFor('the delayed jobs to be due', async () => {
      // Read before the statement: whatever ran by now was claimed before its snapshot, when it would not be early.
      const executedBefore = [...executed];
      const rows = await database.query(
        `SELECT id, status, attempts, started_at, now() < run_at AS early,
                extract(epoch FROM run_at - now()) * 1000 AS due_in_ms
           FROM jobs.jobs WHERE id = ANY($1::bigint[])`,
        [[delayedJob.id, scheduledJob.id]],
      );
      if (rows.every((row) => row.early)) {
        lastEarly = rows;
        executedWhileEarly = executedBefore;
      }
      return rows.some((row) => !row.early);
    }, { timeoutMs: 5_000, intervalMs: 20 });
    expect(lastEarly).toHaveLength(2);
    for (const row of lastEarly!) {
      // Seen untouched shortly before its time.
      expect(Number(row.due_in_ms)).toBeLessThan(600);
      expect(row).toMatchObject({ status: 'pending', attempts: 0, started_at: null });
    }
    expect(executedWhileEarly).toEqual(['marker']);

    const done = await waitFor('both delayed jobs to complete', async () => {
      const rows = await database.query(
        `SELECT *, extract(epoch FROM run_at - created_at) * 1000 AS delay_ms FROM jobs.jobs
          WHERE id = ANY($1::bigint[]) AND status = 'completed'`,
        [[delayedJob.id, scheduledJob.id]],
      );
      return rows.length === 2 ? rows : undefined;
    }, { timeoutMs: 10_000 });
    for (const row of done) {
      expect((row.started_at as Date).getTime()).toBeGreaterThanOrEqual((row.run_at as Date).getTime());
      expect(row.attempts).toBe(1);
    }
    const byId = new Map(done.map((row) => [row.id as string, row]));
    // delayMs counts from the database clock at insert: run_at and created_at come from one now().
    expect(Number(byId.get(delayedJob.id)!.delay_ms)).toBe(delayMs);
    expect((byId.get(scheduledJob.id)!.run_at as Date).toISOString()).toBe(runAt.toISOString());
    expect(executed.slice(1).sort()).toEqual(['delayMs', 'runAt']);
  });
});
