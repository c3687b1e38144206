import pg from 'pg';
import { SUPERUSER } from './cluster-init.js';

/** SQLSTATE duplicate_database: another process created it between our check and our create. */
const DUPLICATE_DATABASE = '42P04';

/**
 * Creates `database` on the local cluster at 127.0.0.1:`port` unless it exists. Provisioning of the
 * database itself, not schema: tables come from migrations.
 */
export async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, database: 'postgres' });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (existing.rowCount) return;
    // CREATE DATABASE takes no parameters; the name is quoted as an identifier instead.
    await client.query(`create database ${client.escapeIdentifier(database)}`);
  } catch (error) {
    if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
  } finally {
    await client.end();
  }
}

/** The connection URL for `database` on the local cluster at 127.0.0.1:`port` (trust auth: no password). */
export function localDatabaseUrl(port: number, database: string): string {
  return `postgres://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}
