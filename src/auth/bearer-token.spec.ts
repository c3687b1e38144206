import { describe, expect, it } from 'vitest';
import { bearerTokenOf, tokensMatch } from './bearer-token.js';

describe('bearerTokenOf', () => {
  it('reads the token of a Bearer header, whatever the case of the scheme', () => {
    expect(bearerTokenOf('Bearer abc.def-123')).toBe('abc.def-123');
    expect(bearerTokenOf('bearer xyz')).toBe('xyz');
  });

  it('is undefined for a missing header, another scheme, or a header with no token', () => {
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(bearerTokenOf('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerTokenOf('Bearer')).toBeUndefined();
    expect(bearerTokenOf('Bearer a b')).toBeUndefined();
    expect(bearerTokenOf(['Bearer a', 'Bearer b'])).toBeUndefined();
  });
});

describe('tokensMatch', () => {
  it('matches only the exact token', () => {
    expect(tokensMatch('secret-token-0123456789', 'secret-token-0123456789')).toBe(true);
    expect(tokensMatch('secret-token-012345678', 'secret-token-0123456789')).toBe(false);
    expect(tokensMatch('', 'secret-token-0123456789')).toBe(false);
    expect(tokensMatch(undefined, 'secret-token-0123456789')).toBe(false);
  });
});
