import { describe, expect, it } from 'vitest';
import { unstorableJsonReason } from './json-storable.js';

describe('unstorableJsonReason', () => {
  it.each([
    ['a NUL character', { a: 'x\u0000y' }],
    ['a NUL character in a property name', { 'k\u0000': 1 }],
    ['a NUL character after an escaped backslash', { a: '\\\u0000' }],
    ['an unpaired high surrogate', { a: 'x\ud800y' }],
    ['an unpaired low surrogate', ['\udc00']],
  ])('refuses %s', (_, value) => {
    expect(unstorableJsonReason(JSON.stringify(value))).toBeDefined();
  });

  it.each([
    ['the text \\u0000 (a backslash, not NUL)', { a: 'literal \\u0000 text' }],
    ['the text \\ud800', { a: '\\ud800' }],
    ['a paired surrogate (emoji)', { a: '😀' }],
    ['plain data', { a: [1, 'two', null, { b: true }] }],
  ])('accepts %s', (_, value) => {
    expect(unstorableJsonReason(JSON.stringify(value))).toBeUndefined();
  });
});
