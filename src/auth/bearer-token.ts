import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined when the header is missing or of another
 * scheme. The scheme is case-insensitive (RFC 6750 §2.1 via RFC 7235).
 */
export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Constant-time comparison: both sides are hashed first so that neither the content nor the length of the expected
 * token leaks through the time a wrong guess takes.
 */
export function tokensMatch(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
