import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { Pool } from 'pg';

export interface JobNotificationHandlers {
  /** New or retried jobs may be due. */
  onWake(): void;
  /** A running job was cancelled (in any process). */
  onCancel(jobId: string): void;
  /** The connection was (re)established: notifications may have been missed meanwhile. */
  onConnected(): void;
}

/**
 * One dedicated connection that LISTENs for wake-ups and cancellations. It lives outside the pool because a pooled
 * connection would be handed to other queries and lose its LISTEN; it reconnects with backoff when dropped.
 */
export class JobNotificationsListener {
  private readonly logger = new Logger('JobNotifications');
  private client?: pg.Client;
  private stopped = false;
  private retryDelayMs = 200;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly channels: { wake: string; cancel: string },
    private readonly handlers: JobNotificationHandlers,
  ) {}

  start(): void {
    void this.connect();
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /**
   * The dedicated connection while it is up. Lease renewals run on it, so that they never wait behind handlers and
   * results for a pool connection; notifications still arrive between its statements.
   */
  get connection(): pg.Client | undefined {
    return this.client;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ ...(this.pool.options as pg.ClientConfig), keepAlive: true });
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client));
    client.on('notification', (message) => {
      if (message.channel === this.channels.cancel && message.payload) this.handlers.onCancel(message.payload);
      else if (message.channel === this.channels.wake) this.handlers.onWake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channels.wake}"; LISTEN "${this.channels.cancel}"`);
    } catch (error) {
      this.dropped(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryDelayMs = 200;
    this.handlers.onConnected();
  }

  private dropped(client: pg.Client, error?: Error): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped || this.retryTimer) return;
    this.logger.warn(`Notification connection lost${error ? ` (${error.message})` : ''}; reconnecting in ${this.retryDelayMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5_000);
  }
}
