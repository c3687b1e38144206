import { describe, expect, it } from 'vitest';
import { findJsonDepthProblem, formatJsonPath } from './json-depth.js';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let index = 0; index < levels; index++) value = [value];
  return value;
};

describe('findJsonDepthProblem', () => {
  it.each([
    [1, 0],
    ['text', 0],
    [null, 0],
    [{}, 1],
    [[[1]], 2],
    [{ a: [{ b: 1 }] }, 3],
  ])('measures %j as %i levels deep', (value, depth) => {
    expect(findJsonDepthProblem(value, depth)).toBeUndefined();
    if (depth > 0) expect(findJsonDepthProblem(value, depth - 1)?.kind).toBe('depth');
  });

  it('names the path to the first container past the limit', () => {
    expect(findJsonDepthProblem({ ok: [1], deep: { list: [[{}]] } }, 3)).toEqual({ path: ['deep', 'list', 0], kind: 'depth' });
    expect(formatJsonPath('payload', ['deep', 'list', 0])).toBe('payload.deep.list[0]');
  });

  it('walks a million levels without overflowing the call stack, stopping at the limit', () => {
    const value = nested(1_000_000);
    const started = performance.now();
    expect(findJsonDepthProblem(value, 32)?.path).toHaveLength(32);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('counts a value with toJSON (a Date) as a scalar, as JSON.stringify writes it', () => {
    expect(findJsonDepthProblem({ at: new Date() }, 1)).toBeUndefined();
  });

  it('reports a value that contains itself as a cycle, and a shared one as no problem', () => {
    const cyclic: Record<string, unknown> = { a: {} };
    (cyclic.a as Record<string, unknown>).back = cyclic;
    expect(findJsonDepthProblem(cyclic, 32)).toEqual({ path: ['a', 'back'], kind: 'cycle' });
    const shared = { x: 1 };
    expect(findJsonDepthProblem({ one: shared, two: [shared] }, 32)).toBeUndefined();
  });
});
