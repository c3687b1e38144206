import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import type { TestDatabase } from './test-database.js';

/** One hostile request and the refusal it must get. */
export interface HostileCase {
  name: string;
  method: string;
  route: string;
  /** A string (or FormData, or bytes) is sent as it is — malformed JSON, `1e309` —; anything else as JSON. */
  body?: unknown;
  /** Replaces the default `content-type: application/json` that goes with a body (`{}`: no content type). */
  headers?: Record<string, string>;
  status: number;
  /** The field the error must name (its message then starts with it). */
  field?: string | RegExp;
  message?: RegExp;
}

export interface SentResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** A GET with a body, which `fetch` refuses to send. */
function getWithBody(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'GET', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode!, headers: new Headers(incoming.headers as Record<string, string>), text }));
    });
    outgoing.on('error', reject).end(body);
  });
}

export async function send(
  baseUrl: string,
  request: Pick<HostileCase, 'method' | 'route' | 'body' | 'headers'>,
  signal?: AbortSignal,
): Promise<SentResponse> {
  const { body } = request;
  const raw = typeof body === 'string' || body instanceof FormData || body instanceof Uint8Array;
  const headers = request.headers ?? (body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' });
  const encoded = body === undefined ? undefined : raw ? (body as string | FormData | Uint8Array) : JSON.stringify(body);
  const response =
    request.method === 'GET' && typeof encoded === 'string'
      ? await getWithBody(`${baseUrl}${request.route}`, headers, encoded)
      : await fetch(`${baseUrl}${request.route}`, { method: request.method, headers, body: encoded, signal }).then(async (answer) => ({
          status: answer.status,
          headers: answer.headers,
          text: await answer.text(),
        }));
  const { text } = response;
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text, the shape check below then fails with it
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** The API's one error shape: `{ statusCode, error, message, field? }`, `message` starting with `field`. */
export function expectApiError(body: any, status: number, field?: string | RegExp, message?: RegExp): void {
  expect(body, JSON.stringify(body)).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
  expect(Object.keys(body).filter((key) => !['statusCode', 'error', 'message', 'field'].includes(key))).toEqual([]);
  if (field !== undefined) {
    expect(body.field).toEqual(typeof field === 'string' ? field : expect.stringMatching(field));
    expect(body.message.startsWith(`${body.field}: `), body.message).toBe(true);
  }
  if (message) expect(body.message).toMatch(message);
}

/**
 * Row count and an md5 of the contents of every table in the `jobs` schema, and the position of its sequences:
 * equal fingerprints mean no row was added, changed or removed, and no insert was even attempted (a failed insert
 * still moves the id sequence).
 */
export async function databaseFingerprint(database: TestDatabase): Promise<string> {
  const tables = await database.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables
      WHERE table_schema = 'jobs' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const parts: unknown[] = [];
  for (const { name } of tables) {
    const [row] = await database.query(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS md5 FROM jobs.${name} t`,
    );
    parts.push({ table: name, ...row });
  }
  parts.push(await database.query(`SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'jobs' ORDER BY 1`));
  return JSON.stringify(parts);
}

/** Sends the case and checks its status, its error, and that the database is exactly as before. */
export async function expectRefusedUnchanged(database: TestDatabase, baseUrl: string, hostile: HostileCase): Promise<void> {
  const before = await databaseFingerprint(database);
  const response = await send(baseUrl, hostile);
  expect(response.status, JSON.stringify(response.body)).toBe(hostile.status);
  expectApiError(response.body, hostile.status, hostile.field, hostile.message);
  expect(await databaseFingerprint(database)).toBe(before);
}

/** `[[[…1…]]]`, `levels` arrays deep, as JSON text (a million levels is 2 MB). */
export const nestedArrays = (levels: number): string => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
