import path from 'node:path';
import { DockerfileParser, type Dockerfile, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { DOCKER_DIR, readText } from './deployment-files.js';

export const DOCKERFILE = path.join(DOCKER_DIR, 'Dockerfile');

export interface Stage {
  /** `AS <name>`, or null. */
  name: string | null;
  /** The image or earlier stage it starts from. */
  from: string;
  instructions: Instruction[];
}

export const parseDockerfile = (text: string = readText(DOCKERFILE)): Dockerfile => DockerfileParser.parse(text);

/** The build stages in order, each with its instructions (FROM excluded). */
export function stagesOf(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const args = instruction.getArguments().map((arg) => arg.getValue());
      stages.push({ from: args[0], name: args[2] ?? null, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

export const keywordIs = (keyword: string) => (instruction: Instruction) => instruction.getKeyword() === keyword;

/** The arguments of an exec-form (JSON array) instruction; null for the shell form. */
export function execForm(instruction: Instruction): string[] | null {
  const json = instruction as JSONInstruction;
  if (typeof json.getOpeningBracket !== 'function' || json.getOpeningBracket() === null) return null;
  return json.getJSONStrings().map((string) => string.getJSONValue());
}

/** `COPY [--from=<stage>] <sources…> <destination>` as data. */
export function copyOf(instruction: Instruction): { from: string | null; sources: string[]; destination: string } {
  const flags = (instruction as unknown as { getFlags(): Array<{ getName(): string; getValue(): string | null }> }).getFlags();
  const from = flags.find((flag) => flag.getName() === 'from')?.getValue() ?? null;
  const args = instruction.getArguments().map((arg) => arg.getValue());
  return { from, sources: args.slice(0, -1), destination: args[args.length - 1] };
}

/** The shell commands of a RUN instruction, split at `&&`. */
export const runCommands = (instruction: Instruction): string[] =>
  instruction
    .getArgumentsContent()!
    .replace(/\\\r?\n/g, ' ')
    .split('&&')
    .map((command) => command.trim().replace(/\s+/g, ' '));

/**
 * The stage whose `node_modules` the final stage copies, and the `npm ci` it runs: what the image's production
 * install is, so that the test repeats exactly that command.
 */
export function productionInstall(stages: Stage[]): { stage: Stage; contextFiles: string[]; npmCi: string[]; removed: string[] } {
  const final = stages[stages.length - 1];
  const copies = final.instructions.filter(keywordIs('COPY')).map(copyOf);
  const modules = copies.find((copy) => copy.sources.some((source) => /\/node_modules\/?$/.test(source)));
  if (!modules?.from) throw new Error('the final stage copies no node_modules from another stage');
  const stage = stages.find((candidate) => candidate.name === modules.from);
  if (!stage) throw new Error(`no stage named ${modules.from}`);
  const commands = stage.instructions.filter(keywordIs('RUN')).flatMap(runCommands);
  const npmCi = commands.filter((command) => /^npm (ci|install|i)\b/.test(command));
  if (npmCi.length !== 1 || !npmCi[0].startsWith('npm ci ')) {
    throw new Error(`stage ${stage.name} must install with exactly one "npm ci …"; found: ${JSON.stringify(npmCi)}`);
  }
  const contextFiles = stage.instructions
    .filter(keywordIs('COPY'))
    .map(copyOf)
    .flatMap((copy) => (copy.from ? [] : copy.sources));
  // What the stage deletes from node_modules after installing (`rm -rf node_modules/…`), to delete it here too.
  const removed = commands.flatMap((command) => (/^rm -rf /.test(command) ? command.split(' ').slice(2) : []));
  const outside = removed.filter((target) => !/^node_modules\/[^\s]+$/.test(target) || target.includes('..'));
  if (outside.length > 0) throw new Error(`stage ${stage.name} removes more than node_modules entries: ${JSON.stringify(outside)}`);
  return { stage, contextFiles, npmCi: npmCi[0].split(' ').slice(1), removed };
}
