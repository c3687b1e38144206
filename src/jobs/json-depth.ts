/** Where a JSON value nests too deep, or refers back to one of its own containers. */
export interface JsonDepthProblem {
  /** Keys and indexes from the root to the container that broke the rule. */
  path: Array<string | number>;
  kind: 'depth' | 'cycle';
}

interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/** Objects and arrays; a value with `toJSON` (a Date) is written as what that returns, so it counts as a scalar. */
const isContainer = (value: unknown): value is object =>
  value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function';

const pathOf = (frame: Frame): Array<string | number> => {
  const path: Array<string | number> = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) path.unshift(at.key!);
  return path;
};

const isAncestor = (value: object, frame: Frame): boolean => {
  for (let at: Frame | undefined = frame; at; at = at.parent) if (at.value === value) return true;
  return false;
};

/**
 * The first container of `value` that lies deeper than `maxDepth` levels (`{}` and `[]` count one level each, a
 * scalar none: `[[1]]` is 2 deep), or that contains itself; undefined when there is none. It walks with a stack of
 * its own, never recursion, and stops at the first problem, so a value nested a million levels deep costs
 * `maxDepth` steps of it and cannot overflow the call stack — which `JSON.stringify`, class-transformer and
 * Postgres' jsonb parser all can.
 */
export function findJsonDepthProblem(value: unknown, maxDepth: number): JsonDepthProblem | undefined {
  if (!isContainer(value)) return undefined;
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > maxDepth) return { path: pathOf(frame), kind: 'depth' };
    const keys: Array<string | number> = Array.isArray(frame.value) ? frame.value.map((_, index) => index) : Object.keys(frame.value);
    for (const key of keys) {
      const child: unknown = (frame.value as Record<string | number, unknown>)[key];
      if (!isContainer(child)) continue;
      const childFrame: Frame = { value: child, depth: frame.depth + 1, parent: frame, key };
      // Only a value reached from outside JSON can hold a cycle; its ancestors are at most maxDepth frames.
      if (isAncestor(child, frame)) return { path: pathOf(childFrame), kind: 'cycle' };
      stack.push(childFrame);
    }
  }
  return undefined;
}

/** `payload.items[3].tags` from a root name and a path. */
export const formatJsonPath = (root: string, path: Array<string | number>): string =>
  path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${key}`), root);
