import { afterAll, describe, expect, it } from 'vitest';
import type { AppProcess } from './support/app-process.js';
import { containerEnvironment, manifest, readManifests, serverSettings } from './support/deployment-files.js';
import { unknownFieldErrors, validateManifest } from './support/kubernetes-models.js';
import { expectJobRunBy, expectMode, startWithEnvironment } from './support/mode-checks.js';
import { planNodes, seedQueue, type PlanNode } from './support/queue-fixture.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 6 without a cluster, part 2: docker/k8s/ validated against the Kubernetes and KEDA schemas, its probes,
 * Secret references, grace periods and connection budget checked, KEDA's query planned on a large table, and the
 * environment of each Deployment started for real to show that it selects its mode.
 */

const manifests = readManifests();
const deployments = manifests.filter((document) => document.object.kind === 'Deployment').map((document) => document.object);
const podSpec = (deployment: Record<string, any>) => deployment.spec.template.spec;
const scaledObject = manifest(manifests, 'ScaledObject', 'nest-pg-jobs-job-server');
const trigger = scaledObject.spec.triggers[0];
const exampleSecret = manifest(manifests, 'Secret', 'nest-pg-jobs-database');
const SECRET_KEY = 'nest-pg-jobs-database/DATABASE_URL';
const settingsOf = (deployment: Record<string, any>) =>
  serverSettings(containerEnvironment(podSpec(deployment).containers[0], { [SECRET_KEY]: exampleSecret.stringData.DATABASE_URL }));

const databases: TestDatabase[] = [];
const processes: AppProcess[] = [];

afterAll(async () => {
  await Promise.all(processes.map((app) => app.stop('SIGKILL')));
  await Promise.all(databases.map((database) => database.drop()));
});

describe('Kubernetes manifests (docker/k8s/)', () => {
  it('are valid against the Kubernetes and KEDA schemas', () => {
    expect(manifests.map((document) => `${document.file}: ${document.object.kind}`)).toHaveLength(6);
    const failures = manifests.flatMap((document) => {
      try {
        validateManifest(document.object);
        return [];
      } catch (error) {
        return [`${document.file} ${document.object.kind}: ${(error as Error).message}`];
      }
    });
    expect(failures.join('\n')).toBe('');
  });

  it('set no field their schemas do not know (a misspelt key would pass the JSON schemas)', () => {
    expect(unknownFieldErrors(manifests).join('\n')).toBe('');
  });

  it.for(['nest-pg-jobs-app', 'nest-pg-jobs-job-server'])('%s probes /health/live and /health, reads DATABASE_URL from the Secret, runs as non-root', (name) => {
    const spec = podSpec(manifest(manifests, 'Deployment', name));
    const [container] = spec.containers;
    const port = container.ports[0];
    const variable = (variableName: string) => container.env.find((candidate: any) => candidate.name === variableName);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: port.name });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: port.name });
    expect(variable('PORT').value).toBe(String(port.containerPort));
    expect(variable('DATABASE_URL').valueFrom.secretKeyRef).toEqual({ name: 'nest-pg-jobs-database', key: 'DATABASE_URL' });
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number) });
    expect(spec.securityContext.runAsUser).not.toBe(0);
  });

  it('give every pod more time than its shutdown needs (preStop pause, + JOBS_SHUTDOWN_GRACE_MS where it runs jobs)', () => {
    for (const deployment of deployments) {
      const { runsJobs, graceMs } = settingsOf(deployment);
      const preStop = podSpec(deployment).containers[0].lifecycle?.preStop?.exec?.command ?? [];
      const pauseMs = preStop[0] === 'sleep' ? Number(preStop[1]) * 1000 : 0;
      const needMs = pauseMs + (runsJobs ? graceMs : 0);
      expect(podSpec(deployment).terminationGracePeriodSeconds * 1000, deployment.metadata.name).toBeGreaterThan(needMs);
    }
  });

  it('route the Service to the app pods, not the job servers, on their named port', () => {
    const service = manifest(manifests, 'Service', 'nest-pg-jobs-app');
    const app = manifest(manifests, 'Deployment', 'nest-pg-jobs-app');
    const jobServer = manifest(manifests, 'Deployment', 'nest-pg-jobs-job-server');
    expect(app.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(jobServer.spec.template.metadata.labels).not.toMatchObject(service.spec.selector);
    expect(service.spec.ports[0].targetPort).toBe(podSpec(app).containers[0].ports[0].name);
  });

  it('scale the job servers with KEDA\'s postgresql trigger from the Secret, one per JOBS_CONCURRENCY jobs', () => {
    const jobServer = manifest(manifests, 'Deployment', scaledObject.spec.scaleTargetRef.name);
    expect(settingsOf(jobServer).mode).toBe('worker');
    expect(settingsOf(manifest(manifests, 'Deployment', 'nest-pg-jobs-app')).mode).toBe('api');
    expect(jobServer.spec.replicas, 'no replicas: KEDA owns the scale').toBeUndefined();
    expect(trigger.type).toBe('postgresql');
    expect(Number(trigger.metadata.targetQueryValue)).toBe(settingsOf(jobServer).concurrency);
    expect(scaledObject.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaledObject.spec.maxReplicaCount).toBeGreaterThan(scaledObject.spec.minReplicaCount);
    const auth = manifest(manifests, 'TriggerAuthentication', trigger.authenticationRef.name);
    expect(auth.spec.secretTargetRef).toEqual([{ parameter: 'connection', name: 'nest-pg-jobs-database', key: 'DATABASE_URL' }]);
    expect(exampleSecret.stringData).toHaveProperty('DATABASE_URL');
  });

  it('stay within Postgres\' default max_connections (100, 3 reserved) at full scale during a rollout', () => {
    const surge = (deployment: Record<string, any>, replicas: number): number => {
      const value = deployment.spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
      return typeof value === 'number' ? value : Math.ceil((replicas * parseInt(value, 10)) / 100);
    };
    let total = 1; // KEDA's scaler
    for (const deployment of deployments) {
      const scaled = scaledObject.spec.scaleTargetRef.name === deployment.metadata.name;
      const replicas = scaled ? scaledObject.spec.maxReplicaCount : (deployment.spec.replicas ?? 1);
      total += (replicas + surge(deployment, replicas)) * settingsOf(deployment).connections;
    }
    expect(total).toBeLessThanOrEqual(97);
  });

  it('count due and running jobs through the indexes, never scanning the finished rows', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    await seedQueue(database, { finished: 200_000, due: 2_000, delayed: 500, processing: 30 });
    const [explained] = await database.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${trigger.metadata.query}`,
    );
    const nodes = planNodes(explained['QUERY PLAN'][0].Plan);
    expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => node['Relation Name'])).toEqual([]);
    expect(nodes.map((node) => node['Index Name'])).toContain('jobs_claim_idx');
    const [result] = await database.query(trigger.metadata.query);
    expect(Object.values(result).map(Number)).toEqual([2_030]);
  });
});

describe('the environment each Deployment sets selects its mode', () => {
  it('the app serves /jobs and runs none; the job server serves only health and runs them', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const envOf = (name: string) =>
      containerEnvironment(podSpec(manifest(manifests, 'Deployment', name)).containers[0], { [SECRET_KEY]: database.url });
    const [app, jobServer] = await Promise.all([
      startWithEnvironment(envOf('nest-pg-jobs-app'), database),
      startWithEnvironment(envOf('nest-pg-jobs-job-server'), database),
    ]);
    processes.push(app, jobServer);
    await expectMode(app, 'api');
    await expectMode(jobServer, 'worker');
    await expectJobRunBy(database, app, jobServer);
  });
});
