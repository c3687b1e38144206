import 'reflect-metadata';
import { Injectable, Module, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler, JobsModule, type JobContext } from '../src/jobs/index.js';
import { buildDataSourceOptions } from '../src/database/data-source.options.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { jobRow, waitForJobRow } from './support/job-rows.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { waitFor } from './support/wait-for.js';

@Injectable()
class FirstDuplicate {
  @JobHandler('test.duplicate')
  run() {
    return 1;
  }
}

@Injectable()
class SecondDuplicate {
  @JobHandler('test.duplicate')
  handleIt() {
    return 2;
  }
}

@Injectable()
class BadlyNamed {
  @JobHandler('not a valid name!')
  handle() {
    return null;
  }
}

@Injectable()
class BadlyConfigured {
  @JobHandler('test.bad-options', { maxAttempts: 0 })
  handle() {
    return null;
  }
}

let releaseProgress: () => void = () => undefined;
const progressGate = new Promise<void>((resolve) => (releaseProgress = resolve));
const seen: Array<{ payload: unknown; context: Omit<JobContext, 'signal' | 'progress' | 'logger'>; hasSignal: boolean; hasLogger: boolean }> = [];

@Injectable()
class ContextHandlers {
  @JobHandler('test.context', { queue: 'context-queue', maxAttempts: 4 })
  context(payload: unknown, context: JobContext) {
    const { jobId, attempt, name, queue, maxAttempts } = context;
    seen.push({
      payload,
      context: { jobId, attempt, name, queue, maxAttempts },
      hasSignal: context.signal instanceof AbortSignal && !context.signal.aborted,
      hasLogger: typeof context.logger.log === 'function',
    });
    return { ok: true };
  }

  @JobHandler('test.progress')
  async progress(_payload: unknown, context: JobContext) {
    await context.progress(50);
    await progressGate;
    return 'done';
  }
}

/** Starts the JobsModule with `handlers` where start-up is expected to fail; returns the error. */
async function startUpError(url: string, handlers: Provider[]): Promise<Error> {
  const dataSource = new DataSource(buildDataSourceOptions(url, 2));
  await dataSource.initialize();
  @Module({
    imports: [JobsModule.forRootAsync({ useFactory: () => ({ dataSource, processing: { enabled: true } }) })],
    providers: handlers,
  })
  class FailingRootModule {}
  try {
    const app = await NestFactory.createApplicationContext(FailingRootModule, { logger: false, abortOnError: false });
    await app.close();
    throw new Error('start-up succeeded');
  } catch (error) {
    return error as Error;
  } finally {
    await dataSource.destroy();
  }
}

describe('handler discovery and the handler context', () => {
  let database: TestDatabase;
  let producer: JobsTestApp;
  let worker: JobsTestApp | undefined;


  beforeAll(async () => {
    database = await createTestDatabase();
    producer = await startJobsTestApp({ url: database.url, handlers: [ContextHandlers] });
  });

  afterAll(async () => {
    releaseProgress();
    await worker?.close();
    await producer?.close();
    await database?.drop();
  });

  it('stops start-up when two handlers share a name, naming both Class.method', async () => {
    const error = await startUpError(database.url, [FirstDuplicate, SecondDuplicate]);
    expect(error.message).toContain("'test.duplicate'");
    expect(error.message).toContain('FirstDuplicate.run');
    expect(error.message).toContain('SecondDuplicate.handleIt');
  });

  it('stops start-up on an invalid handler name or invalid handler options, naming the method', async () => {
    const badName = await startUpError(database.url, [BadlyNamed]);
    expect(badName.message).toContain('not a valid name!');
    expect(badName.message).toContain('BadlyNamed.handle');
    const badOptions = await startUpError(database.url, [BadlyConfigured]);
    expect(badOptions.message).toContain('BadlyConfigured.handle');
    expect(badOptions.message).toContain('maxAttempts');
  });

  it('has no processor where processing is omitted: its jobs wait for a processing instance', async () => {
    expect(producer.processor).toBeNull();
    const { job } = await producer.jobs.enqueue('test.context', { hello: 'context' });
    expect(await jobRow(database, job.id)).toMatchObject({ status: 'pending', attempts: 0, worker_id: null });

    worker = await startJobsTestApp({
      url: database.url,
      handlers: [ContextHandlers],
      processing: { concurrency: 2, pollIntervalMs: 50, shutdownGraceMs: 500 },
    });
    expect(worker.processor).not.toBeNull();
    const row = await waitForJobRow(database, job.id, 'completed', (current) => current.status === 'completed');
    expect(row.worker_id).toBe(worker.processor!.workerId);
    expect(row.attempts).toBe(1);
    expect(row.result).toEqual({ ok: true });

    // The handler received the payload and the job's facts.
    expect(seen).toEqual([
      {
        payload: { hello: 'context' },
        context: { jobId: job.id, attempt: 1, name: 'test.context', queue: 'context-queue', maxAttempts: 4 },
        hasSignal: true,
        hasLogger: true,
      },
    ]);
  });

  it('stores context.progress(50) on the row while the handler runs, 100 once completed', async () => {
    expect(worker).toBeDefined();
    const { job } = await producer.jobs.enqueue('test.progress', null);
    const running = await waitForJobRow(database, job.id, 'progress 50', (row) => row.progress === 50);
    expect(running.status).toBe('processing');
    expect((await producer.jobs.get(job.id)).progress).toBe(50);
    releaseProgress();
    const done = await waitForJobRow(database, job.id, 'completed', (row) => row.status === 'completed');
    expect(done.progress).toBe(100);
  });
});
