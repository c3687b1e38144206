import type { TestProject } from 'vitest/node';
import { startPrivateCluster, type PrivateCluster } from './private-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL the tests use; each spec creates databases of its own on it. */
    adminDatabaseUrl: string;
  }
}

let cluster: PrivateCluster | undefined;

/**
 * The tests' PostgreSQL: TEST_DATABASE_URL when given (CI points it at the local server), otherwise a private
 * embedded cluster started here, so `npm test` works on a machine with only Node.js.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    cluster = await startPrivateCluster();
    url = cluster.url;
    console.log(`[tests] no TEST_DATABASE_URL: using an embedded PostgreSQL on port ${cluster.port}`);
  }
  project.provide('adminDatabaseUrl', url);
  return async () => {
    await cluster?.destroy();
  };
}
