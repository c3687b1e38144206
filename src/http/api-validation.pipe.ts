import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import { badRequest } from './api-error.js';
import { nestedDtos, opaqueJsonProperties } from './opaque-json.decorators.js';

/** Deepest nesting of a request body outside its opaque JSON; the DTOs need 3 levels (`jobs[0].name`). */
const MAX_ENVELOPE_DEPTH = 8;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Path = Array<string | number>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `jobs[3].name`; a path into a body that is an array starts at `body`. */
const fieldOf = (path: Path): string =>
  path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${key}`), 'body').replace(/^body\./, '');

/** Takes the opaque JSON values out of `value` (as the DTO declares them), returning where each was. */
function holdOpaqueJson(value: unknown, dto: Function, path: Path = [], held: Array<{ path: Path; value: unknown }> = []) {
  if (!isObject(value)) return held;
  for (const property of opaqueJsonProperties(dto)) {
    if (typeof property === 'string' && Object.hasOwn(value, property)) {
      held.push({ path: [...path, property], value: value[property] });
      delete value[property];
    }
  }
  for (const [property, nested] of nestedDtos(dto)) {
    const items = typeof property === 'string' ? value[property] : undefined;
    if (Array.isArray(items)) items.forEach((item, index) => holdOpaqueJson(item, nested(), [...path, property as string, index], held));
  }
  return held;
}

/**
 * What is left once the opaque JSON is out: at most `MAX_ENVELOPE_DEPTH` deep, arrays of at most `maxItems`, and
 * no key that names a prototype. Checked with a stack of its own before class-transformer walks it recursively,
 * so that no body can overflow the call stack, and a huge batch is refused before each of its jobs is validated.
 */
function checkEnvelope(root: unknown, maxItems: number): void {
  const stack: Array<{ value: unknown; depth: number; path: Path }> = [{ value: root, depth: 1, path: [] }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_ENVELOPE_DEPTH) {
      // Named by its top-level field: the full path would repeat a key per level.
      throw badRequest(typeof path[0] === 'string' ? path[0] : 'body', `nests deeper than ${MAX_ENVELOPE_DEPTH} levels`);
    }
    if (Array.isArray(value)) {
      if (value.length > maxItems) throw badRequest(fieldOf(path), `must hold at most ${maxItems} items (JOBS_MAX_BATCH_SIZE)`);
      value.forEach((item, index) => stack.push({ value: item, depth: depth + 1, path: [...path, index] }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key)) throw badRequest(fieldOf([...path, key]), `property ${key} should not exist`);
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: [...path, key] });
    }
  }
}

function putBack(target: unknown, path: Path, value: unknown): void {
  let at = target as Record<string | number, unknown> | undefined;
  for (const key of path.slice(0, -1)) at = at?.[key] as Record<string | number, unknown> | undefined;
  if (at !== null && typeof at === 'object') at[path[path.length - 1]] = value;
}

/**
 * The global `ValidationPipe` (DTOs, unknown fields refused), made safe for hostile bodies and faithful to
 * payloads: `@OpaqueJson()` fields (payloads) bypass it untouched — the jobs service checks them, depth included —
 * and the rest of a body or query is bounded (`checkEnvelope`) before class-transformer sees it.
 */
export class ApiValidationPipe extends ValidationPipe {
  constructor(
    private readonly maxItems: number,
    options: ValidationPipeOptions,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if ((metadata.type !== 'body' && metadata.type !== 'query') || !metadata.metatype || !this.toValidate(metadata)) {
      return super.transform(value, metadata);
    }
    const held = holdOpaqueJson(value, metadata.metatype);
    checkEnvelope(value, this.maxItems);
    const result = await super.transform(value, metadata);
    for (const { path, value: json } of held) putBack(result, path, json);
    return result;
  }
}
