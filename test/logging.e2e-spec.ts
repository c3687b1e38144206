import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { waitForJobRow } from './support/job-rows.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 5, point 6: the real server logs through pino. LOG_FORMAT=json writes one JSON object per line; every line a
 * handler writes (with a plain Nest `Logger`) and every line the processor writes about a job carries the job's
 * id, name and attempt; the API token never appears. Pretty (the default outside production) stays readable.
 */

const TOKEN = 'logging-test-token-0123456789';
const FAST = { JOBS_POLL_INTERVAL_MS: '100', LOG_LEVEL: 'log' };

interface LogLine {
  time: string;
  level: string;
  context?: string;
  msg: string;
  jobId?: string;
  jobName?: string;
  attempt?: number;
}

let database: TestDatabase;
const started: AppProcess[] = [];

const start = async (env: Record<string, string>): Promise<AppProcess> => {
  const app = await startAppProcess({ env: { ...FAST, DATABASE_URL: database.url, ...env } });
  started.push(app);
  return app;
};

/** demo.fail failing its first attempt and succeeding on the second; resolves with the job's id once completed. */
async function runFailingOnce(app: AppProcess, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${app.baseUrl}/demo/fail`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ message: 'boom', times: 1 }),
  });
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  await waitForJobRow(database, id, 'completed on attempt 2', (row) => row.status === 'completed', 20_000);
  return id;
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(started.map((app) => app.stop('SIGKILL')));
  await database?.drop();
});

describe('LOG_FORMAT=json', () => {
  let app: AppProcess;
  let lines: LogLine[];
  let jobId: string;

  beforeAll(async () => {
    app = await start({ LOG_FORMAT: 'json', JOBS_API_TOKEN: TOKEN });
    // Refused and accepted requests, the token in their headers.
    expect((await fetch(`${app.baseUrl}/jobs`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${app.baseUrl}/jobs`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    jobId = await runFailingOnce(app, { authorization: `Bearer ${TOKEN}` });
    // The processor's line about the failed attempt, and the handler's line of the second one, are out.
    await app.waitForOutput(/Succeeding this time/, 10_000);
    await app.stop();
    const text = app.output().trim();
    lines = text.split('\n').map((line, index) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`line ${index + 1} is not JSON: ${line}`);
      }
    });
  });

  it('writes one JSON object per line, with time, level, context and message', () => {
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(line, JSON.stringify(line)).toMatchObject({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) });
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    }
    // Nest's own lines go through it too.
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' }));
  });

  it("puts the job's id, name and attempt on the handler's lines and on the processor's lines about the job", () => {
    const fields = (attempt: number) => ({ jobId, jobName: 'demo.fail', attempt });
    expect(lines).toContainEqual(expect.objectContaining({ context: 'DemoJobs', msg: 'Failing as asked: boom', ...fields(1) }));
    expect(lines).toContainEqual(expect.objectContaining({ context: 'DemoJobs', msg: 'Succeeding this time', ...fields(2) }));
    expect(lines).toContainEqual(
      expect.objectContaining({ context: 'JobProcessor', level: 'warn', msg: expect.stringMatching(/attempt 1\/2 failed: boom/), ...fields(1) }),
    );
    // Every line naming the job in its text carries the fields; lines about no job carry none.
    for (const line of lines.filter((entry) => entry.msg.includes(`#${jobId} `) || entry.context === 'DemoJobs')) {
      expect(line, JSON.stringify(line)).toMatchObject({ jobId, jobName: 'demo.fail', attempt: expect.any(Number) });
    }
    for (const line of lines.filter((entry) => ['NestApplication', 'Main', 'RouterExplorer'].includes(entry.context ?? ''))) {
      expect(line).not.toHaveProperty('jobId');
    }
  });

  it('never logs the token', () => {
    expect(app.output()).not.toContain(TOKEN);
  });
});

describe('pretty logs', () => {
  it('are readable lines in development (the default without NODE_ENV=production), the job fields on the same line', async () => {
    const app = await start({});
    const jobId = await runFailingOnce(app);
    await app.waitForOutput(/Succeeding this time/, 10_000);
    await app.stop();
    const lines = app.output().trim().split('\n');
    const isJson = (line: string) => {
      try {
        return typeof JSON.parse(line) === 'object';
      } catch {
        return false;
      }
    };
    expect(lines.filter(isJson)).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Main\] Listening on port/));
    const handlerLine = lines.find((line) => line.includes('[DemoJobs] Failing as asked: boom'));
    expect(handlerLine).toContain(`"jobId":"${jobId}"`);
    expect(handlerLine).toContain('"attempt":1');
  });

  it('NODE_ENV=production makes JSON the default', async () => {
    const app = await start({ NODE_ENV: 'production' });
    await app.stop();
    const [first] = app.output().trim().split('\n');
    expect(JSON.parse(first)).toMatchObject({ level: 'info', msg: expect.any(String) });
  });
});
