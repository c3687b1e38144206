import { describe, expect, it } from 'vitest';
import { errorDetails } from './error-details.js';

const circular = (): object => {
  const value: Record<string, unknown> = { name: 'circular' };
  value.self = value;
  return value;
};

const unreadableError = (): Error => {
  const error = new Error('unreadable');
  // 'stack' first: V8 reads the message while it redefines the stack.
  Object.defineProperty(error, 'stack', { get: () => { throw new Error('stack getter throws'); } });
  Object.defineProperty(error, 'message', { get: () => { throw new Error('message getter throws'); } });
  return error;
};

describe('errorDetails', () => {
  // Values are built in the test: the test's name must not format them (some throw when read).
  it.each([
    ['an Error', () => new Error('boom'), /^boom$/],
    ['a string', () => 'plain', /^plain$/],
    ['a number', () => 42, /^Non-Error thrown: 42$/],
    ['null', () => null, /^Non-Error thrown: null$/],
    ['undefined', () => undefined, /^Non-Error thrown: undefined$/],
    ['an object', () => ({ code: 'E' }), /^Non-Error thrown: \{"code":"E"\}$/],
    ['a symbol', () => Symbol('s'), /^Non-Error thrown: Symbol\(s\)$/],
    ['a bigint', () => 10n ** 30n, /^Non-Error thrown: 1000000000000000000000000000000$/],
    ['a circular object', () => circular(), /^Non-Error thrown: \[object Object\]$/],
    ['a string with NUL', () => 'a\u0000b', /^a\uFFFDb$/],
    ['an object whose toJSON and toString throw', () => ({ toJSON: () => { throw new Error('x'); }, toString: () => { throw new Error('y'); } }), /^Non-Error thrown: a value of type object$/],
    ['an Error whose message and stack getters throw', () => unreadableError(), /^Error$/],
    ['a proxy whose every trap throws', () => new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } }), /^Non-Error thrown/],
  ] as Array<[string, () => unknown, RegExp]>)('describes %s without throwing', (_label, thrown, message) => {
    const details = errorDetails(thrown());
    expect(details.message).toMatch(message);
    expect(details.message).not.toContain('\u0000');
  });
});
