import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { loadEnvironment } from '../config/load-environment.js';
import { buildDataSourceOptions, redactUrl } from './data-source.options.js';
import { startEmbeddedPostgres } from './embedded/embedded-postgres.launcher.js';
import { migrateJobsSchema } from '../jobs/jobs-schema.migrator.js';

/** `npm run migration:run`: applies the jobs migrations (under the same advisory lock as start-up) and exits. */
async function main(): Promise<void> {
  const env = loadEnvironment();
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: env.EMBEDDED_PG_DATA_DIR, log: () => undefined });
  const url = env.DATABASE_URL ?? embedded!.url;
  const dataSource = new DataSource(buildDataSourceOptions(url, 2));
  await dataSource.initialize();
  try {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const applied = await migrateJobsSchema(dataSource, pool, env.JOBS_SCHEMA);
    console.log(
      applied.length > 0
        ? `Applied to ${redactUrl(url)} schema ${env.JOBS_SCHEMA}: ${applied.join(', ')}`
        : `Schema ${env.JOBS_SCHEMA} of ${redactUrl(url)} is up to date`,
    );
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: Error) => {
  console.error(`Migration failed: ${error.message}`);
  process.exit(1);
});
