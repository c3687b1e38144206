import { InvalidJobInputError } from './errors/jobs.errors.js';

const MAX_BIGINT = 9223372036854775807n;

/** Ids are positive bigints carried as decimal strings; anything else is a 400 naming `id`. */
export function parseJobId(id: unknown, field = 'id'): string {
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,18}$/.test(id) || BigInt(id) > MAX_BIGINT) {
    throw new InvalidJobInputError(field, 'must be a positive integer id (decimal string)');
  }
  return id;
}

/** The keyset cursor is opaque to clients: base64url of the last id of the page. */
export const encodeCursor = (id: string): string => Buffer.from(`j:${id}`).toString('base64url');

export function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  if (!decoded.startsWith('j:')) throw new InvalidJobInputError('cursor', 'is not a cursor this API returned');
  return parseJobId(decoded.slice(2), 'cursor');
}
