import { decoratorMetadataTransform } from './vitest.swc.js';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [decoratorMetadataTransform()],
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
