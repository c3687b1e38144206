import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export interface TestDatabase {
  name: string;
  url: string;
  query<Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Closes this helper's pool and drops the database (terminating leftover connections). */
  drop(): Promise<void>;
}

export const databaseUrlFor = (adminUrl: string, database: string): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

/** A fresh, empty database on the test server, so that specs never see each other's jobs. */
export async function createTestDatabase(adminUrl: string = inject('adminDatabaseUrl')): Promise<TestDatabase> {
  const name = `jobs_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(adminUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  return {
    name,
    url,
    query: async (text, values) => (await pool.query(text, values)).rows,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
