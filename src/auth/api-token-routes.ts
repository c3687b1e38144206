import type { INestApplication } from '@nestjs/common';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { ApiTokenGuard } from './api-token.guard.js';

const asPath = (path: string): string => `/${path.replace(/^\/+|\/+$/g, '')}`;

/** The controller is guarded by `ApiTokenGuard` (`@RequireApiToken()`, or `@UseGuards(ApiTokenGuard)` directly). */
const requiresApiToken = (controller: Function): boolean =>
  ((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? []).some(
    (guard) => guard === ApiTokenGuard || (typeof guard === 'function' && guard.prototype instanceof ApiTokenGuard),
  );

/**
 * The path prefixes of every controller guarded by `ApiTokenGuard` in the application (`['/demo', '/jobs',
 * '/schedules']` today), read from the module graph once the application is created and before it listens.
 */
export function apiTokenPathPrefixes(app: INestApplication): string[] {
  const prefixes = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype || !requiresApiToken(metatype)) continue;
      const paths = (Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined) ?? '/';
      for (const path of [paths].flat()) prefixes.add(asPath(path));
    }
  }
  return [...prefixes].sort();
}
