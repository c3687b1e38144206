import { registerAs } from '@nestjs/config';
import { loadEnvironment } from './load-environment.js';

export interface DatabaseConfig {
  /** External PostgreSQL; undefined selects the embedded one. */
  url?: string;
  embeddedDataDir: string;
  poolSize: number;
}

export const databaseConfig = registerAs('database', (): DatabaseConfig => {
  const env = loadEnvironment();
  return { url: env.DATABASE_URL, embeddedDataDir: env.EMBEDDED_PG_DATA_DIR, poolSize: env.DATABASE_POOL_SIZE };
});
