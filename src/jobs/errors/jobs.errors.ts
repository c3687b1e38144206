/** Base of the errors `JobsService` throws; the HTTP layer maps each to a status code. */
export class JobsError extends Error {
  override name = 'JobsError';
}

/** Bad input at enqueue (or a bad id): `field` names what is wrong. HTTP 400. */
export class InvalidJobInputError extends JobsError {
  override name = 'InvalidJobInputError';
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

/** A payload larger than the configured maximum. HTTP 413. */
export class PayloadTooLargeError extends JobsError {
  override name = 'PayloadTooLargeError';
  constructor(readonly field: string, size: number, limit: number) {
    super(`${field}: ${size} bytes of JSON exceeds the limit of ${limit} bytes (JOBS_MAX_PAYLOAD_BYTES)`);
  }
}

/** HTTP 404. */
export class JobNotFoundError extends JobsError {
  override name = 'JobNotFoundError';
  constructor(readonly id: string) {
    super(`Job ${id} not found`);
  }
}

/** The job's state does not allow the operation (cancel a finished job, retry a pending one). HTTP 409. */
export class JobStateConflictError extends JobsError {
  override name = 'JobStateConflictError';
}

/** The database is not connected or migrated yet. HTTP 503. */
export class JobsNotReadyError extends JobsError {
  override name = 'JobsNotReadyError';
  constructor() {
    super('The jobs database is not ready yet (connecting or migrating); retry shortly');
  }
}
