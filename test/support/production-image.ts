import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './app-process.js';
import { copyOf, keywordIs, productionInstall, type Stage } from './dockerfile-stages.js';

const run = promisify(execFile);

export interface ProductionImage {
  /** The image's WORKDIR, rebuilt in a temporary folder: node_modules, dist/, package.json. */
  appDir: string;
  /** The final stage's ENV. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

/**
 * Rebuilds the final image's /app without Docker, following docker/Dockerfile: the production stage's context
 * files, its exact `npm ci …` in a fresh folder (the lockfile decides, dev dependencies omitted) and the entries it
 * deletes from node_modules (`rm -rf node_modules/…`), then the final stage's COPYs — node_modules from that stage,
 * dist/ from the build stage (here: this checkout's build, which `npm test` has just made), files from the context.
 * A COPY it cannot map fails, so the Dockerfile and this stay in step.
 */
export async function assembleProductionImage(stages: Stage[]): Promise<ProductionImage> {
  const install = productionInstall(stages);
  const root = await mkdtemp(path.join(tmpdir(), 'nest-pg-jobs-image-'));
  const depsDir = path.join(root, 'prod-deps');
  const appDir = path.join(root, 'app');
  await mkdir(depsDir);
  await mkdir(appDir);
  for (const file of install.contextFiles) await cp(path.join(PROJECT_ROOT, file), path.join(depsDir, file));
  // The local cache serves the tarballs when it has them; the lockfile still decides every version.
  await run('npm', install.npmCi, {
    cwd: depsDir,
    env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const target of install.removed) await rm(path.join(depsDir, target), { recursive: true, force: true });

  const final = stages[stages.length - 1];
  const builtBy = stages.find((stage) => stage.instructions.some((i) => /npm run build/.test(i.getArgumentsContent() ?? '')));
  for (const copy of final.instructions.filter(keywordIs('COPY')).map(copyOf)) {
    for (const source of copy.sources) {
      const target = path.join(appDir, copy.destination.endsWith('/') ? path.basename(source) : copy.destination);
      if (copy.from === install.stage.name && /\/node_modules\/?$/.test(source)) {
        await rename(path.join(depsDir, 'node_modules'), target);
      } else if (copy.from && copy.from === builtBy?.name && /\/dist\/?$/.test(source)) {
        await cp(path.join(PROJECT_ROOT, 'dist'), target, { recursive: true });
      } else if (!copy.from) {
        await cp(path.join(PROJECT_ROOT, source), target, { recursive: true });
      } else {
        throw new Error(`cannot rebuild COPY --from=${copy.from} ${source}: teach test/support/production-image.ts`);
      }
    }
  }

  const env: Record<string, string> = {};
  for (const instruction of final.instructions.filter(keywordIs('ENV'))) {
    for (const pair of instruction.getArguments().map((arg) => arg.getValue())) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return { appDir, env, remove: () => rm(root, { recursive: true, force: true }) };
}
