import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file of the dashboard's front end, read once at start-up. */
export interface DashboardAsset {
  body: Buffer;
  contentType: string;
  /** Strong validator for conditional requests: the content's hash. */
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page itself; served at `/dashboard`, not under `/dashboard/assets/`. */
export const DASHBOARD_PAGE = 'index.html';

/**
 * The hand-written front end (`src/dashboard/assets/`, copied next to the compiled code by `npm run build`), held in
 * memory. Only the files found at start-up are ever served, by exact name, so no request path reaches the file
 * system (no traversal, no listing).
 */
@Injectable()
export class DashboardAssets implements OnModuleInit {
  private readonly files = new Map<string, DashboardAsset>();

  /** The folder next to this module, in `src/` (tests) as in `dist/` (the build copies it there). */
  readonly directory = fileURLToPath(new URL('./assets/', import.meta.url));

  async onModuleInit(): Promise<void> {
    const names = await readdir(this.directory).catch(() => []);
    for (const name of names) {
      const contentType = CONTENT_TYPES[path.extname(name)];
      if (!contentType) continue;
      const body = await readFile(path.join(this.directory, name));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      this.files.set(name, { body, contentType, etag });
    }
    if (!this.files.has(DASHBOARD_PAGE)) {
      throw new Error(
        `The dashboard's front end is missing: no ${DASHBOARD_PAGE} in ${this.directory}. ` +
          'Build with `npm run build`, which copies src/dashboard/assets next to the compiled code.',
      );
    }
  }

  /** The asset of that exact file name, or undefined. */
  get(name: string): DashboardAsset | undefined {
    return this.files.get(name);
  }
}
