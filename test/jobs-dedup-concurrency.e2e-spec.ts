import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHandler } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';
import { http, startAppProcess, type AppProcess } from './support/app-process.js';

/** The same job name the built server's demo module handles, so every client enqueues one kind of job. */
@Injectable()
class EchoHandler {
  @JobHandler('demo.echo')
  echo(payload: unknown) {
    return payload;
  }
}

const CALLS_PER_CLIENT = 5;
const ROUNDS = 3;

/**
 * Concurrent enqueues of one key from four clients with separate connection pools: two JobsModule instances in this
 * process and two built servers (separate OS processes) over HTTP. Nothing processes here, so the first job stays
 * live and every call must resolve to it.
 */
describe('dedup key under concurrent enqueues from several processes', () => {
  let database: TestDatabase;
  const apps: JobsTestApp[] = [];
  const servers: AppProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // The first instance migrates; the others then start at once.
    apps.push(await startJobsTestApp({ url: database.url, handlers: [EchoHandler] }));
    const env = { DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true', DEMO_JOBS: 'true' };
    const started = await Promise.all([
      startJobsTestApp({ url: database.url, handlers: [EchoHandler] }),
      startAppProcess({ env }),
      startAppProcess({ env }),
    ]);
    apps.push(started[0]);
    servers.push(started[1], started[2]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await Promise.all(apps.map((app) => app.close()));
    await database?.drop();
  });

  it.each(Array.from({ length: ROUNDS }, (_, round) => [round]))(
    'round %i: 20 concurrent enqueues of one key create exactly one job and all answer its id',
    async (round) => {
      const key = `race-key-${round}`;
      const calls: Array<() => Promise<{ id: string; created: boolean }>> = [];
      for (let index = 0; index < CALLS_PER_CLIENT; index++) {
        for (const [client, app] of apps.entries()) {
          calls.push(async () => {
            const { job, created } = await app.jobs.enqueue('demo.echo', { client: `app-${client}`, index }, { key });
            return { id: job.id, created };
          });
        }
        for (const [client, server] of servers.entries()) {
          calls.push(async () => {
            const response = await http(server.baseUrl, 'POST', '/jobs', {
              name: 'demo.echo',
              payload: { client: `process-${client}`, index },
              key,
            });
            expect([200, 201]).toContain(response.status);
            return { id: response.body.id as string, created: response.status === 201 };
          });
        }
      }
      expect(calls).toHaveLength(20);

      const answers = await Promise.all(calls.map((call) => call()));

      const rows = await database.query(`SELECT id, status FROM jobs.jobs WHERE key = $1`, [key]);
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('pending');
      expect(new Set(answers.map((answer) => answer.id))).toEqual(new Set([rows[0].id]));
      expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    },
  );

  it('stored nothing else, and no process ran a job', async () => {
    const rows = await database.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE attempts > 0)::int AS ran FROM jobs.jobs`);
    expect(rows[0]).toEqual({ n: ROUNDS, ran: 0 });
  });
});
