import { describe, expect, it } from 'vitest';
import { InvalidJobInputError } from './errors/jobs.errors.js';
import { decodeCursor, encodeCursor, parseJobId } from './job-id.js';

const fieldOf = (action: () => unknown): string | undefined => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJobInputError);
    return (error as InvalidJobInputError).field;
  }
  return undefined;
};

describe('parseJobId', () => {
  it('accepts positive decimal ids up to the largest bigint', () => {
    expect(parseJobId('1')).toBe('1');
    expect(parseJobId('42')).toBe('42');
    expect(parseJobId('9223372036854775807')).toBe('9223372036854775807');
  });

  it.each(['abc', '0', '-1', '01', '1.5', '1e3', ' 1', '1 ', '', '+1', '0x10', '9223372036854775808', '99999999999999999999'])(
    'rejects %j naming id',
    (id) => {
      expect(fieldOf(() => parseJobId(id))).toBe('id');
    },
  );

  it('rejects non-strings, and names the field it is given', () => {
    expect(fieldOf(() => parseJobId(5))).toBe('id');
    expect(fieldOf(() => parseJobId(undefined))).toBe('id');
    expect(fieldOf(() => parseJobId('x', 'cursor'))).toBe('cursor');
  });
});

describe('keyset cursors', () => {
  it('round-trips an id through an opaque, URL-safe cursor', () => {
    for (const id of ['1', '123456789', '9223372036854775807']) {
      const cursor = encodeCursor(id);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursor).not.toContain(id);
      expect(decodeCursor(cursor)).toBe(id);
    }
  });

  it.each([
    ['garbage with spaces', 'not a cursor'],
    ['empty', ''],
    ['standard base64 padding', `${encodeCursor('12')}==`],
    ['a bare id', '12'],
    ['another prefix', Buffer.from('x:12').toString('base64url')],
    ['a malformed id inside', Buffer.from('j:abc').toString('base64url')],
    ['id 0 inside', Buffer.from('j:0').toString('base64url')],
    ['an id beyond bigint inside', Buffer.from('j:9223372036854775808').toString('base64url')],
    ['too long', 'a'.repeat(65)],
  ])('rejects %s naming cursor', (_, cursor) => {
    expect(fieldOf(() => decodeCursor(cursor))).toBe('cursor');
  });
});
