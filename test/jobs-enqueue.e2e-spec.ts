import { Injectable } from '@nestjs/common';
import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidJobInputError, JobHandler, PayloadTooLargeError, type EnqueueOptions } from '../src/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { jobRow } from './support/job-rows.js';
import { startJobsTestApp, type JobsTestApp } from './support/jobs-test-app.js';

const MAX_PAYLOAD_BYTES = 1_024;
const LONGEST_NAME = `test.${'x'.repeat(123)}`;

class ReportPayload {
  @IsInt() @Min(1)
  count: number;

  @IsString() @IsNotEmpty()
  title: string;
}

// Nothing processes in this spec: every job stays exactly as enqueue stored it.
@Injectable()
class EnqueueHandlers {
  @JobHandler('test.plain')
  plain(payload: unknown) {
    return payload;
  }

  @JobHandler('test.configured', { queue: 'reports', maxAttempts: 7 })
  configured(payload: unknown) {
    return payload;
  }

  @JobHandler('test.typed', { payload: ReportPayload })
  typed(payload: ReportPayload) {
    return payload;
  }

  @JobHandler(LONGEST_NAME)
  longestName() {
    return null;
  }
}

type Rejection = [description: string, name: string, payload: unknown, options: EnqueueOptions, field: string];

const circular: Record<string, unknown> = {};
circular.self = circular;

const rejections: Rejection[] = [
  ['runAt together with delayMs', 'test.plain', {}, { runAt: new Date(), delayMs: 10 }, 'delayMs'],
  ['priority above 1000', 'test.plain', {}, { priority: 1001 }, 'priority'],
  ['priority below -1000', 'test.plain', {}, { priority: -1001 }, 'priority'],
  ['fractional priority', 'test.plain', {}, { priority: 2.5 }, 'priority'],
  ['priority as a string', 'test.plain', {}, { priority: '1' as unknown as number }, 'priority'],
  ['empty name', '', {}, {}, 'name'],
  ['name with a space', 'test plain', {}, {}, 'name'],
  ['name starting with a dot', '.test.plain', {}, {}, 'name'],
  ['name of 129 characters', `${LONGEST_NAME}x`, {}, {}, 'name'],
  ['name with a NUL character', 'test.plain\u0000', {}, {}, 'name'],
  ['non-ASCII name', 'test.plaín', {}, {}, 'name'],
  ['NUL character in a payload value', 'test.plain', { a: 'x\u0000y' }, {}, 'payload'],
  ['NUL character in a payload property name', 'test.plain', { 'a\u0000': 1 }, {}, 'payload'],
  ['unpaired surrogate in a payload', 'test.plain', { a: 'x\ud800y' }, {}, 'payload'],
  ['circular payload', 'test.plain', circular, {}, 'payload'],
  ['bigint payload', 'test.plain', { n: 1n }, {}, 'payload'],
  ['NUL character in a key', 'test.plain', {}, { key: 'k\u0000y' }, 'key'],
  ['empty key', 'test.plain', {}, { key: '' }, 'key'],
  ['key of 256 characters', 'test.plain', {}, { key: 'k'.repeat(256) }, 'key'],
  ['maxAttempts 0', 'test.plain', {}, { maxAttempts: 0 }, 'maxAttempts'],
  ['maxAttempts above 1000', 'test.plain', {}, { maxAttempts: 1001 }, 'maxAttempts'],
  ['bad queue name', 'test.plain', {}, { queue: 'no spaces allowed' }, 'queue'],
  ['negative delayMs', 'test.plain', {}, { delayMs: -1 }, 'delayMs'],
  ['fractional delayMs', 'test.plain', {}, { delayMs: 1.5 }, 'delayMs'],
  ['runAt that is not ISO 8601', 'test.plain', {}, { runAt: 'tomorrow' }, 'runAt'],
  ['invalid runAt date', 'test.plain', {}, { runAt: new Date('invalid') }, 'runAt'],
  ['payload DTO: wrong type', 'test.typed', { count: 'x', title: 'a' }, {}, 'payload.count'],
  ['payload DTO: below minimum', 'test.typed', { count: 0, title: 'a' }, {}, 'payload.count'],
  ['payload DTO: missing field', 'test.typed', { count: 1 }, {}, 'payload.title'],
  ['payload DTO: unknown field', 'test.typed', { count: 1, title: 'a', extra: true }, {}, 'payload.extra'],
  ['payload DTO: not an object', 'test.typed', 'text', {}, 'payload'],
  ['payload DTO: no payload', 'test.typed', undefined, {}, 'payload'],
];

describe('enqueue', () => {
  let database: TestDatabase;
  let app: JobsTestApp;

  const countRows = async () => (await database.query(`SELECT count(*)::int AS n FROM jobs.jobs`))[0].n as number;
  /** Runs `attempt`, expects it to throw `type` naming `field`, and checks that no row was stored. */
  const expectRejected = async (attempt: () => Promise<unknown>, type: new (...args: never[]) => Error, field: string) => {
    const before = await countRows();
    const error = await attempt().then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(type);
    expect((error as { field: string }).field).toBe(field);
    expect((error as Error).message).toContain(field);
    expect(await countRows()).toBe(before);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startJobsTestApp({ url: database.url, handlers: [EnqueueHandlers], maxPayloadBytes: MAX_PAYLOAD_BYTES });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('applies the defaults: queue and maxAttempts from the handler (else default / 3), priority 0', async () => {
    const { job: plain, created } = await app.jobs.enqueue('test.plain', { hello: 'world' });
    expect(created).toBe(true);
    expect(plain).toMatchObject({
      name: 'test.plain',
      queue: 'default',
      maxAttempts: 3,
      priority: 0,
      status: 'pending',
      attempts: 0,
      progress: 0,
      key: null,
      payload: { hello: 'world' },
      result: null,
      error: null,
      errors: [],
      workerId: null,
      startedAt: null,
      finishedAt: null,
    });
    expect(plain.runAt).toBe(plain.createdAt);
    expect(await app.jobs.get(plain.id)).toEqual(plain);

    const { job: configured } = await app.jobs.enqueue('test.configured', null);
    expect(configured).toMatchObject({ queue: 'reports', maxAttempts: 7, priority: 0, payload: null });
    const { job: overridden } = await app.jobs.enqueue('test.configured', 1, { queue: 'urgent', maxAttempts: 2, priority: -5 });
    expect(overridden).toMatchObject({ queue: 'urgent', maxAttempts: 2, priority: -5, payload: 1 });
    expect(await jobRow(database, overridden.id)).toMatchObject({ queue: 'urgent', max_attempts: 2, priority: -5, payload: 1 });

    const { job: empty } = await app.jobs.enqueue('test.plain');
    expect((await jobRow(database, empty.id)).payload).toBeNull();
  });

  it('accepts the boundaries: priority ±1000, a 128-character name, a 255-character key, a payload of exactly the limit', async () => {
    await app.jobs.enqueue('test.plain', {}, { priority: -1000 });
    await app.jobs.enqueue('test.plain', {}, { priority: 1000 });
    await app.jobs.enqueue(LONGEST_NAME, {});
    await app.jobs.enqueue('test.plain', {}, { key: 'k'.repeat(255) });
    const exact = { data: 'x'.repeat(MAX_PAYLOAD_BYTES - '{"data":""}'.length) };
    expect(Buffer.byteLength(JSON.stringify(exact))).toBe(MAX_PAYLOAD_BYTES);
    const { job } = await app.jobs.enqueue('test.plain', exact);
    expect((await jobRow(database, job.id)).payload).toEqual(exact);
    const { job: typed } = await app.jobs.enqueue('test.typed', { count: 2, title: 'monthly' });
    expect(typed.payload).toEqual({ count: 2, title: 'monthly' });
  });

  it.each(rejections)('rejects %s with InvalidJobInputError naming the field, storing nothing', async (_, name, payload, options, field) => {
    await expectRejected(() => app.jobs.enqueue(name, payload, options), InvalidJobInputError, field);
  });

  it('stores text that merely looks like an escape (a backslash, not NUL) and emoji unchanged', async () => {
    const payload = { literal: 'literal \\u0000 and \\ud800 text', emoji: '😀' };
    const { job } = await app.jobs.enqueue('test.plain', payload);
    expect((await jobRow(database, job.id)).payload).toEqual(payload);
  });

  it('rejects a payload over maxPayloadBytes (counted in bytes, not characters) with PayloadTooLargeError', async () => {
    const overByOne = { data: 'x'.repeat(MAX_PAYLOAD_BYTES - '{"data":""}'.length + 1) };
    await expectRejected(() => app.jobs.enqueue('test.plain', overByOne), PayloadTooLargeError, 'payload');
    // 600 characters, 1,200 bytes of UTF-8.
    await expectRejected(() => app.jobs.enqueue('test.plain', { data: 'é'.repeat(600) }), PayloadTooLargeError, 'payload');
  });

  it('enqueueMany inserts every job in one statement, in input order with ascending ids', async () => {
    const before = await countRows();
    const results = await app.jobs.enqueueMany([
      { name: 'test.plain', payload: { index: 0 } },
      { name: 'test.configured', payload: { index: 1 } },
      { name: 'test.plain', payload: { index: 2 }, priority: 7, queue: 'special' },
      { name: 'test.typed', payload: { count: 3, title: 't' } },
      { name: 'test.plain', payload: { index: 4 }, delayMs: 60_000 },
    ]);
    expect(results).toHaveLength(5);
    expect(results.every((result) => result.created)).toBe(true);
    const ids = results.map((result) => BigInt(result.job.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(ids).size).toBe(5);
    expect(results.map((result) => result.job.name)).toEqual(['test.plain', 'test.configured', 'test.plain', 'test.typed', 'test.plain']);
    expect(results[1].job).toMatchObject({ queue: 'reports', maxAttempts: 7 });
    expect(results[2].job).toMatchObject({ queue: 'special', priority: 7 });
    expect(await countRows()).toBe(before + 5);
    // One statement, one transaction: every row carries the same now().
    const rows = await database.query(`SELECT DISTINCT created_at FROM jobs.jobs WHERE id = ANY($1::bigint[])`, [
      results.map((result) => result.job.id),
    ]);
    expect(rows).toHaveLength(1);
  });

  it('enqueueMany stores nothing when one element is invalid, naming it', async () => {
    const valid = { name: 'test.plain', payload: { ok: true } };
    await expectRejected(() => app.jobs.enqueueMany([valid, valid, { ...valid, priority: 5000 }]), InvalidJobInputError, 'jobs[2].priority');
    await expectRejected(() => app.jobs.enqueueMany([valid, { name: 'test.unknown' }]), InvalidJobInputError, 'jobs[1].name');
    await expectRejected(() => app.jobs.enqueueMany([{ ...valid, payload: { a: '\u0000' } }, valid]), InvalidJobInputError, 'jobs[0].payload');
    await expectRejected(
      () => app.jobs.enqueueMany([valid, { name: 'test.typed', payload: { count: 1 } }]),
      InvalidJobInputError,
      'jobs[1].payload.title',
    );
    await expectRejected(
      () => app.jobs.enqueueMany([valid, { name: 'test.plain', payload: 'x'.repeat(MAX_PAYLOAD_BYTES) }]),
      PayloadTooLargeError,
      'jobs[1].payload',
    );
    await expectRejected(() => app.jobs.enqueueMany([]), InvalidJobInputError, 'jobs');
  });
});
