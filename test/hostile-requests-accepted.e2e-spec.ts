import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { nestedArrays, send } from './support/hostile-requests.js';

/**
 * Issue 3, point 4, the other side of the hostile-request matrix: input that looks hostile but is valid data. Job
 * names and queues are ASCII by rule (`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`); payloads and dedup keys are any JSON
 * and any text, and are stored exactly as sent — unicode, keys that name prototypes or methods, SQL text.
 */

const LATER = { delayMs: 600_000 };
const echo = { name: 'demo.echo', ...LATER };
const SQL = "'; DROP TABLE jobs.jobs;--";
const OR = '1 OR 1=1';

let database: TestDatabase;
let server: AppProcess;

const withRaw = (extra: string) => `{"name":"demo.echo","delayMs":600000,${extra}}`;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startAppProcess({ env: { DATABASE_URL: database.url, JOBS_SERVER_DISABLED: 'true' } });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('accepted, and stored exactly as sent', () => {
  const storedPayload = async (id: string): Promise<unknown> =>
    (await database.query<{ payload: unknown }>('SELECT payload FROM jobs.jobs WHERE id = $1', [id]))[0].payload;

  it('unicode in payloads: RTL marks, emoji sequences, combining characters, astral planes', async () => {
    const payload = { rtl: '\u202eabc\u200f', emoji: '👩‍👩‍👧‍👦🏳️‍🌈', combining: 'e\u0301 a\u0308\u0323', astral: '𝄞𐍈', [`k\u200f`]: 1 };
    const { status, body } = await send(server.baseUrl, { method: 'POST', route: '/jobs', body: { ...echo, payload } });
    expect(status).toBe(201);
    expect(body.payload).toEqual(payload);
    expect(await storedPayload(body.id)).toEqual(payload);
  });

  it('payload keys that name prototypes and methods, in single jobs and batches', async () => {
    const text = '{"constructor":"Ferrari","__proto__":{"a":1},"prototype":1,"toString":"x","valueOf":[{"hasOwnProperty":2}]}';
    const single = await send(server.baseUrl, { method: 'POST', route: '/jobs', body: withRaw(`"payload":${text}`) });
    const many = await send(server.baseUrl, { method: 'POST', route: '/jobs/batch', body: `{"jobs":[{"name":"demo.echo","delayMs":600000,"payload":${text}}]}` });
    expect([single.status, many.status]).toEqual([201, 201]);
    for (const id of [single.body.id, many.body.jobs[0].id]) expect(await storedPayload(id)).toEqual(JSON.parse(text));
  });

  it('the same payload through a schedule and the demo echo route', async () => {
    const text = '{"constructor":"Ferrari","__proto__":{"a":1},"toString":"\u200f👍"}';
    const created = await send(server.baseUrl, {
      method: 'POST',
      route: '/schedules',
      body: `{"name":"fidelity","cron":"0 0 1 1 *","jobName":"demo.echo","payload":${text}}`,
    });
    const echoed = await send(server.baseUrl, { method: 'POST', route: '/demo/echo', body: text });
    expect([created.status, echoed.status]).toEqual([201, 201]);
    const [schedule] = await database.query<{ payload: unknown }>(`SELECT payload FROM jobs.schedules WHERE name = 'fidelity'`);
    expect(schedule.payload).toEqual(JSON.parse(text));
    expect(await storedPayload(echoed.body.id)).toEqual(JSON.parse(text));
  });

  it('SQL text in a dedup key and a payload is data: stored verbatim, the table intact', async () => {
    const { status, body } = await send(server.baseUrl, { method: 'POST', route: '/jobs', body: { ...echo, key: SQL, payload: { q: `${OR}; ${SQL}` } } });
    expect(status).toBe(201);
    expect((await database.query('SELECT key, payload FROM jobs.jobs WHERE id = $1', [body.id]))[0]).toEqual({ key: SQL, payload: { q: `${OR}; ${SQL}` } });
  });

  it('-0 is the integer 0; a payload exactly 32 levels deep is within JOBS_MAX_PAYLOAD_DEPTH', async () => {
    const zero = await send(server.baseUrl, { method: 'POST', route: '/jobs', body: '{"name":"demo.echo","priority":-0,"delayMs":-0}' });
    expect(zero.status).toBe(201);
    expect(zero.body.priority).toBe(0);
    const deep = await send(server.baseUrl, { method: 'POST', route: '/jobs', body: withRaw(`"payload":${nestedArrays(32)}`) });
    expect(deep.status).toBe(201);
    expect(await storedPayload(deep.body.id)).toEqual(JSON.parse(nestedArrays(32)));
  });
});
