import type { DataSourceOptions } from 'typeorm';

/**
 * The TypeORM options of the application's DataSource, built in one place for the server and the migration CLI.
 * The jobs tables are not entities here: the jobs module reaches them with its own SQL and migrations.
 */
export function buildDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    poolSize,
    entities: [],
    migrations: [],
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
    applicationName: 'nest-pg-jobs',
    connectTimeoutMS: 10_000,
    // Dead peers (a database host that vanished) are noticed by TCP keepalive instead of hanging a connection.
    extra: { keepAlive: true, idleTimeoutMillis: 30_000 },
  };
}

/** The URL with its password masked, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
