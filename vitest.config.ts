import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC instead of Vite's default transform: Nest's dependency injection needs the
// `design:paramtypes` metadata that only a decorator-metadata-aware compiler emits.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
      },
      module: { type: 'es6' },
    }),
  ],
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Specs start real processes and databases; two cores do not gain from more parallel files.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
