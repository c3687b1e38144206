import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidJobInputError,
  JobHandler,
  JobNotFoundError,
  type Job,
  type JobsService,
  type ListJobsOptions,
} from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';

// Nothing processes here: statuses come from enqueue and cancel only, so every count is exact.
@Injectable()
class ListedHandlers {
  @JobHandler('test.alpha')
  alpha() {
    return null;
  }

  @JobHandler('test.beta', { queue: 'beta-q' })
  beta() {
    return null;
  }
}

const MALFORMED_IDS = ['abc', '0', '-1', '99999999999999999999', '1.5', '01', ' 1', '9223372036854775808', ''];

describe('get, list and id validation', () => {
  let database: TestDatabase;
  let app: JobsTestApp;
  let jobs: JobsService;
  /** Every job of the spec, oldest first. */
  const all: Job[] = [];

  const ids = (items: Job[]) => items.map((job) => job.id);
  const newestFirst = (items: Job[]) => [...items].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  const invalid = async (promise: Promise<unknown>, field: string) => {
    const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvalidJobInputError);
    expect((error as InvalidJobInputError).field).toBe(field);
  };
  const pages = async (options: ListJobsOptions) => {
    const result: Job[][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const { items, nextCursor } = await jobs.list({ ...options, cursor });
      result.push(items);
      if (nextCursor === null) return result;
      cursor = nextCursor;
    }
    throw new Error('paging did not end');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({ url: database.url, handlers: [ListedHandlers] });
    jobs = app.jobs;
    for (const name of ['test.alpha', 'test.beta', 'test.alpha', 'test.alpha', 'test.beta', 'test.alpha', 'test.beta']) {
      all.push((await jobs.enqueue(name, { n: all.length })).job);
    }
    all[2] = await jobs.cancel(all[2].id);
    all[4] = await jobs.cancel(all[4].id);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('gets a job by id, as list returns it', async () => {
    const fetched = await jobs.get(all[3].id);
    expect(fetched).toEqual(all[3]);
    const { items } = await jobs.list();
    expect(items.find((job) => job.id === all[3].id)).toEqual(fetched);
  });

  it('lists newest first, filtered by status, name and queue', async () => {
    const everything = await jobs.list();
    expect(ids(everything.items)).toEqual(ids(newestFirst(all)));
    expect(everything.nextCursor).toBeNull();

    const expectFilter = async (options: ListJobsOptions, matches: (job: Job) => boolean) => {
      const { items, nextCursor } = await jobs.list(options);
      expect(ids(items)).toEqual(ids(newestFirst(all.filter(matches))));
      expect(items.length).toBeGreaterThan(0);
      expect(nextCursor).toBeNull();
    };
    await expectFilter({ status: 'cancelled' }, (job) => job.status === 'cancelled');
    await expectFilter({ status: 'pending' }, (job) => job.status === 'pending');
    await expectFilter({ name: 'test.beta' }, (job) => job.name === 'test.beta');
    await expectFilter({ queue: 'beta-q' }, (job) => job.queue === 'beta-q');
    await expectFilter({ queue: 'default' }, (job) => job.queue === 'default');
    await expectFilter({ name: 'test.alpha', status: 'pending' }, (job) => job.name === 'test.alpha' && job.status === 'pending');
    expect((await jobs.list({ status: 'completed' })).items).toEqual([]);
    expect((await jobs.list({ name: 'test.none' })).items).toEqual([]);
  });

  it('pages through 7 jobs with limit 3 as 3 + 3 + 1, without duplicates, ending with nextCursor null', async () => {
    const result = await pages({ limit: 3 });
    expect(result.map((page) => page.length)).toEqual([3, 3, 1]);
    const seen = result.flat();
    expect(new Set(ids(seen)).size).toBe(7);
    expect(ids(seen)).toEqual(ids(newestFirst(all)));
  });

  it('pages a filtered list, with no empty last page when the count divides evenly', async () => {
    const alpha = await pages({ name: 'test.alpha', limit: 2 });
    expect(alpha.map((page) => page.length)).toEqual([2, 2]);
    expect(ids(alpha.flat())).toEqual(ids(newestFirst(all.filter((job) => job.name === 'test.alpha'))));
  });

  it('keeps paging stable when jobs are added between pages', async () => {
    const first = await jobs.list({ limit: 3 });
    const added = (await jobs.enqueue('test.alpha', { n: 'added' })).job;
    const second = await jobs.list({ limit: 3, cursor: first.nextCursor! });
    expect(ids(second.items)).toEqual(ids(newestFirst(all)).slice(3, 6));
    expect(ids(second.items)).not.toContain(added.id);
    await jobs.cancel(added.id);
    all.push(await jobs.get(added.id));
  });

  it('rejects a bad cursor, limit or status naming the field', async () => {
    const encoded = (text: string) => Buffer.from(text).toString('base64url');
    for (const cursor of ['not a cursor!', '', encoded('j:abc'), encoded('x:5'), encoded('j:0'), 'a'.repeat(65)]) {
      await invalid(jobs.list({ cursor }), 'cursor');
    }
    for (const limit of [0, 501, 2.5, -1]) await invalid(jobs.list({ limit }), 'limit');
    await invalid(jobs.list({ status: 'bogus' as never }), 'status');
    expect((await jobs.list({ limit: 500 })).items).toHaveLength(all.length);
  });

  it('answers JobNotFoundError for an unknown id, and InvalidJobInputError naming id for a malformed one', async () => {
    for (const id of ['999999999', '9223372036854775807']) {
      await expect(jobs.get(id)).rejects.toBeInstanceOf(JobNotFoundError);
      await expect(jobs.cancel(id)).rejects.toBeInstanceOf(JobNotFoundError);
      await expect(jobs.retry(id)).rejects.toBeInstanceOf(JobNotFoundError);
    }
    for (const id of MALFORMED_IDS) {
      await invalid(jobs.get(id), 'id');
      await invalid(jobs.cancel(id), 'id');
      await invalid(jobs.retry(id), 'id');
    }
  });
});
