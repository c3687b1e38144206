import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { REQUIRES_API_TOKEN } from './require-api-token.decorator.js';

const asPath = (path: string): string => `/${path.replace(/^\/+|\/+$/g, '')}`;

/**
 * The path prefixes of every controller marked `@RequireApiToken()` in the application (`['/jobs', '/schedules',
 * '/demo']` today), read from the module graph once the application is created and before it listens.
 */
export function apiTokenPathPrefixes(app: INestApplication): string[] {
  const prefixes = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype || !Reflect.getMetadata(REQUIRES_API_TOKEN, metatype)) continue;
      const paths = (Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined) ?? '/';
      for (const path of [paths].flat()) prefixes.add(asPath(path));
    }
  }
  return [...prefixes].sort();
}
