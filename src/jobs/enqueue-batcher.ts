import { isTransientDatabaseError } from './processor/transient-error.js';

interface Waiting<Row, Result> {
  row: Row;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent autocommit enqueues of one process into shared statements. While no insert of this batcher
 * is in flight a job is inserted at once, alone (a lone producer never waits); jobs enqueued while one is in flight
 * wait for it and then go together in one multi-row statement — one round trip, one commit and one NOTIFY for all
 * of them, where one each would queue on Postgres' notify lock, which a notifying transaction holds from its commit
 * until its WAL is flushed. Only jobs without a dedup key come here: a keyed insert may wait for another
 * transaction holding its key, and must not hold up anyone else's.
 *
 * Each caller still gets its own outcome: when Postgres refuses a shared statement for what it holds, its jobs are
 * inserted one by one, so that the row at fault fails its own enqueue alone. A dropped connection fails them all,
 * as it would have failed each of them.
 */
export class EnqueueBatcher<Row, Result> {
  private waiting: Array<Waiting<Row, Result>> = [];
  private busy = false;

  constructor(
    private readonly insertOne: (row: Row) => Promise<Result>,
    private readonly insertMany: (rows: Row[]) => Promise<Result[]>,
  ) {}

  add(row: Row): Promise<Result> {
    if (this.busy) return new Promise((resolve, reject) => this.waiting.push({ row, resolve, reject }));
    this.busy = true;
    const inserted = this.insertOne(row);
    void inserted.then(this.next, this.next);
    return inserted;
  }

  private readonly next = (): void => {
    const batch = this.waiting;
    if (batch.length === 0) {
      this.busy = false;
      return;
    }
    this.waiting = [];
    void this.insertBatch(batch).then(this.next);
  };

  private async insertBatch(batch: Array<Waiting<Row, Result>>): Promise<void> {
    try {
      const results = batch.length === 1 ? [await this.insertOne(batch[0].row)] : await this.insertMany(batch.map((item) => item.row));
      batch.forEach((item, index) => item.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1 || isTransientDatabaseError(error)) {
        for (const item of batch) item.reject(error);
        return;
      }
      for (const item of batch) await this.insertOne(item.row).then(item.resolve, item.reject);
    }
  }
}
