import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { deploymentModeOf, processesJobs, type DeploymentMode } from '../../src/config/deployment-mode.js';
import { validateEnvironment } from '../../src/config/environment.validation.js';
import { PROJECT_ROOT } from './app-process.js';

/** docker/: the Dockerfile, the compose files and k8s/. */
export const DOCKER_DIR = path.join(PROJECT_ROOT, 'docker');
export const K8S_DIR = path.join(DOCKER_DIR, 'k8s');
export const COMPOSE_FILES = ['compose.yml', 'compose.decoupled.yml'] as const;

export const readText = (file: string): string => readFileSync(file, 'utf8');

/** A compose file as Compose reads it before interpolation. */
export const readCompose = (name: string): Record<string, any> => parse(readText(path.join(DOCKER_DIR, name)));

/**
 * Compose interpolation with nothing set in the environment: `${VAR:-default}` and `${VAR-default}` become their
 * default, `${VAR}` the empty string, `$$` a dollar sign. What the file runs with when the operator sets nothing.
 */
export function interpolateDefaults(value: string): string {
  return value
    .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g, (_match, fallback: string | undefined) => fallback ?? '')
    .replace(/\$\$/g, '$');
}

/** A service's `environment` (map or list form), interpolated with defaults. */
export function composeEnvironment(service: Record<string, any>): Record<string, string> {
  const raw = service.environment ?? {};
  const entries: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.map((item: string) => {
        const at = item.indexOf('=');
        return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(raw);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolateDefaults(String(value ?? ''))]));
}

/** A Compose duration (`1m30s`, `35s`, `500ms`, `1h`) in milliseconds. */
export function composeDurationMs(value: string): number {
  const units: Record<string, number> = { us: 0.001, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value) {
    throw new Error(`not a Compose duration: ${value}`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit], 0);
}

/** What the server makes of an environment, through its own validation: mode, whether it runs jobs, its grace. */
export function serverSettings(env: Record<string, string>): ServerSettings {
  const validated = validateEnvironment(env);
  const mode = deploymentModeOf(validated);
  const runsJobs = processesJobs(mode);
  return {
    mode,
    runsJobs,
    graceMs: validated.JOBS_SHUTDOWN_GRACE_MS,
    concurrency: validated.JOBS_CONCURRENCY,
    // The pool, plus the LISTEN connection of a process that executes jobs.
    connections: validated.DATABASE_POOL_SIZE + (runsJobs ? 1 : 0),
  };
}

export interface ServerSettings {
  mode: DeploymentMode;
  runsJobs: boolean;
  graceMs: number;
  concurrency: number;
  /** Connections one such process holds at most once started. */
  connections: number;
}

export interface ManifestDocument {
  /** Path relative to docker/k8s/. */
  file: string;
  object: Record<string, any>;
}

/** Every YAML document under docker/k8s/ (the example folder included), in file order. */
export function readManifests(dir: string = K8S_DIR): ManifestDocument[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
  return files.flatMap((file) =>
    parseAllDocuments(readText(path.join(dir, file))).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
      return { file, object: document.toJS() as Record<string, any> };
    }),
  );
}

/** The one manifest of this kind and name; throws when there is none. */
export function manifest(documents: ManifestDocument[], kind: string, name: string): Record<string, any> {
  const found = documents.find((document) => document.object.kind === kind && document.object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} under docker/k8s/`);
  return found.object;
}

/**
 * A container's environment as the kubelet would set it: plain values as they are, `secretKeyRef`s resolved from
 * `secrets` (`<secret name>/<key>`); any other source fails, so a test never runs with a variable it cannot see.
 */
export function containerEnvironment(
  container: Record<string, any>,
  secrets: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const value = secrets[`${ref.name}/${ref.key}`];
      if (value === undefined) throw new Error(`${variable.name}: no value for secret ${ref.name}/${ref.key}`);
      env[variable.name] = value;
    } else if (variable.valueFrom) {
      throw new Error(`${variable.name}: unsupported valueFrom ${JSON.stringify(variable.valueFrom)}`);
    } else {
      env[variable.name] = String(variable.value ?? '');
    }
  }
  return env;
}
