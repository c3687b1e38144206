import type { Type as Class } from '@nestjs/common';
import { Type } from 'class-transformer';
import { Allow, ValidateNested } from 'class-validator';

const OPAQUE_JSON_METADATA = 'http:opaque_json';
const NESTED_DTOS_METADATA = 'http:nested_dtos';

const append = <T>(key: string, target: object, item: T): void =>
  Reflect.defineMetadata(key, [...((Reflect.getMetadata(key, target) as T[] | undefined) ?? []), item], target);

/**
 * The property holds any JSON (a job's payload) that the service checks itself: `ApiValidationPipe` hands it over
 * exactly as sent. class-transformer would otherwise copy it without the keys it takes for methods (`constructor`,
 * `toString`, `valueOf`, …), Nest would strip `__proto__` and `prototype` from it, and both walk it recursively.
 */
export function OpaqueJson(): PropertyDecorator {
  return (target, property) => {
    Allow()(target, property);
    append(OPAQUE_JSON_METADATA, target.constructor, property);
  };
}

/** An array of `dto` elements, each validated (`@ValidateNested`, `@Type`), whose opaque JSON the pipe also holds. */
export function NestedDtos(dto: () => Class): PropertyDecorator {
  return (target, property) => {
    ValidateNested({ each: true })(target, property);
    Type(dto)(target, property as string);
    append(NESTED_DTOS_METADATA, target.constructor, [property, dto]);
  };
}

export const opaqueJsonProperties = (dto: Function): Array<string | symbol> =>
  (Reflect.getMetadata(OPAQUE_JSON_METADATA, dto) as Array<string | symbol> | undefined) ?? [];

export const nestedDtos = (dto: Function): Array<[string | symbol, () => Class]> =>
  (Reflect.getMetadata(NESTED_DTOS_METADATA, dto) as Array<[string | symbol, () => Class]> | undefined) ?? [];
