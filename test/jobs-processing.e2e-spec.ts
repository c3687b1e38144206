import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler, type JobContext } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

@Injectable()
class ProcessingHandlers {
  @JobHandler('test.double')
  double(payload: { value: number }, context: JobContext) {
    return { doubled: payload.value * 2, attempt: context.attempt };
  }
}

describe('processing', () => {
  let database: TestDatabase;
  let app: JobsTestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({ url: database.url, handlers: [ProcessingHandlers], processing: { concurrency: 4 } });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('runs an enqueued job and stores its result on the row', async () => {
    const { job, created } = await app.jobs.enqueue('test.double', { value: 21 });
    expect(created).toBe(true);
    expect(job.status).toBe('pending');
    expect(job.id).toMatch(/^\d+$/);
    const [row] = await waitFor('the job to complete', async () => {
      const rows = await database.query(`SELECT * FROM jobs.jobs WHERE id = $1 AND status = 'completed'`, [job.id]);
      return rows.length ? rows : undefined;
    });
    expect(row.result).toEqual({ doubled: 42, attempt: 1 });
    expect(row.attempts).toBe(1);
    expect(row.progress).toBe(100);
    expect(row.locked_until).toBeNull();
    expect(row.worker_id).toBe(app.processor!.workerId);
    const fetched = await app.jobs.get(job.id);
    expect(fetched.finishedAt).not.toBeNull();
    expect(fetched.startedAt).not.toBeNull();
  });
});
