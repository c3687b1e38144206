import { decoratorMetadataTransform } from './vitest.swc.js';
import { defineConfig } from 'vitest/config';

const long = process.env.FAULTS_PROFILE === 'long';

// The fault suite (`npm run test:faults`): real job-server processes per scenario, one scenario at a time, since
// every scenario measures timings against short leases on a two-core machine. `FAULTS_PROFILE=long` runs the longer
// variants. Prints a table of figures at the end (test/faults/support/fault-table.reporter.ts).
export default defineConfig({
  plugins: [decoratorMetadataTransform()],
  test: {
    include: ['test/faults/**/*.fault-spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: long ? 900_000 : 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    reporters: ['default', './test/faults/support/fault-table.reporter.ts'],
  },
});
