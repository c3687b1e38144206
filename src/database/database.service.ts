import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { databaseConfig } from '../config/database.config.js';
import { buildDataSourceOptions, redactUrl } from './data-source.options.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded/embedded-postgres.launcher.js';

/**
 * Owns the application's connection: starts the embedded PostgreSQL when no DATABASE_URL is set, then connects
 * with backoff. It runs after bootstrap, in the background, so the HTTP server (health) answers while the database
 * is still coming up; `connected()` resolves once it is reachable.
 */
@Injectable()
export class DatabaseService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private dataSource?: DataSource;
  private embedded?: EmbeddedPostgresHandle;
  private stopped = false;
  private resolveConnected!: (dataSource: DataSource) => void;
  private readonly connectedPromise = new Promise<DataSource>((resolve) => (this.resolveConnected = resolve));

  constructor(@Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>) {}

  /** Resolves with the initialized DataSource once the database is reachable. */
  connected(): Promise<DataSource> {
    return this.connectedPromise;
  }

  get isConnected(): boolean {
    return this.dataSource?.isInitialized ?? false;
  }

  onApplicationBootstrap(): void {
    void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.dataSource?.destroy().catch(() => undefined);
    await this.embedded?.stop().catch((error: Error) => this.logger.warn(`Embedded PostgreSQL stop: ${error.message}`));
  }

  private async connect(): Promise<void> {
    let delayMs = 250;
    while (!this.stopped) {
      try {
        const url = this.config.url ?? (await this.startEmbedded());
        const dataSource = new DataSource(buildDataSourceOptions(url, this.config.poolSize));
        await dataSource.initialize();
        if (this.stopped) {
          await dataSource.destroy();
          return;
        }
        this.dataSource = dataSource;
        this.logger.log(`Connected to ${redactUrl(url)}`);
        this.resolveConnected(dataSource);
        return;
      } catch (error) {
        this.logger.warn(`Database not reachable (${(error as Error).message}); retrying in ${delayMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = Math.min(delayMs * 2, 5_000);
      }
    }
  }

  private async startEmbedded(): Promise<string> {
    if (!this.embedded) {
      this.logger.log(`No DATABASE_URL: starting the embedded PostgreSQL in ${this.config.embeddedDataDir}`);
      this.embedded = await startEmbeddedPostgres({
        dataDir: this.config.embeddedDataDir,
        log: (message) => this.logger.log(message),
        debug: (message) => this.logger.debug(message),
      });
    }
    return this.embedded.url;
  }
}
