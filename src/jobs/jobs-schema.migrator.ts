import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Pool } from 'pg';
import { JOBS_MIGRATIONS } from './migrations/index.js';

/**
 * Runs the jobs migrations under a session advisory lock, so that ten containers starting at once migrate exactly
 * once: the first holds the lock and migrates, the others wait, then find nothing left to run. The lock lives on
 * its own connection, so a process that dies mid-migration releases it with its connection.
 */
export async function migrateJobsSchema(hostDataSource: DataSource, pool: Pool, schema: string): Promise<string[]> {
  const lockClient = await pool.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`jobs.migrate:${schema}`]);
    // TypeORM creates its migrations table inside the schema, so the schema must exist before TypeORM runs.
    await lockClient.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const migrationSource = new DataSource({
      ...(hostDataSource.options as DataSourceOptions & { type: 'postgres' }),
      schema,
      entities: [],
      subscribers: [],
      migrations: JOBS_MIGRATIONS,
      migrationsTableName: 'migrations',
      migrationsRun: false,
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: ['error'],
      poolSize: 1,
    } as DataSourceOptions);
    await migrationSource.initialize();
    try {
      const applied = await migrationSource.runMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await migrationSource.destroy();
    }
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`jobs.migrate:${schema}`]).catch(() => undefined);
    lockClient.release();
  }
}
