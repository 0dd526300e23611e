import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The repository's Dockerfile as its stages and their instructions, so the compiled-build test
 * can lay each image out as the Dockerfile says rather than as the test believes it does.
 * Knows what this Dockerfile uses (ARG, FROM, ENV, WORKDIR, COPY, RUN, ...); nothing is guessed.
 */
export const dockerfileText = readFileSync(
  fileURLToPath(new URL('../../Dockerfile', import.meta.url)),
  'utf8',
);

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  /** What FROM names: an image, or an earlier stage. */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

/** Joins continued lines (`\` at the end), drops comments and blank lines. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    lines.push(`${pending}${line}`);
    pending = '';
  }
  if (pending) lines.push(pending.trim());
  return lines;
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      const from = image.replace(/^\$\{?(\w+)\}?$/, (whole, arg: string) => globalArgs[arg] ?? whole);
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (upper !== 'ARG') throw new Error(`Dockerfile: ${keyword} before the first FROM`);
      const [name = '', value = ''] = args.split('=', 2);
      globalArgs[name] = value;
      continue;
    }
    stage.instructions.push({ keyword: upper, args });
  }
  return { globalArgs, stages };
}

export const dockerfile = parseDockerfile(dockerfileText);

export function stageNamed(name: string): Stage {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`Dockerfile: no stage ${name}`);
  return stage;
}

/** A stage and the stages it is built FROM, the base first. */
export function lineage(name: string): Stage[] {
  const stage = stageNamed(name);
  const parent = dockerfile.stages.find((candidate) => candidate.name === stage.from);
  return parent ? [...lineage(parent.name), stage] : [stage];
}

/** The image a stage ends up on (FROM followed through earlier stages). */
export function baseImage(name: string): string {
  return (lineage(name)[0] as Stage).from;
}

/** Every instruction a stage's image carries, its bases' first. */
export function instructionsOf(name: string): Instruction[] {
  return lineage(name).flatMap((stage) => stage.instructions);
}

/** The last value an instruction was given (what the image keeps: USER, CMD, WORKDIR, ...). */
export function lastOf(name: string, keyword: string): string | undefined {
  return instructionsOf(name)
    .filter((instruction) => instruction.keyword === keyword)
    .at(-1)?.args;
}

/** ENV as the image has it: `ENV A=1 B=2` lines merged. */
export function envOf(name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of instructionsOf(name)) {
    if (keyword !== 'ENV') continue;
    for (const pair of args.split(/\s+/)) {
      const [key = '', value = ''] = pair.split('=', 2);
      env[key] = value;
    }
  }
  return env;
}

export interface Copy {
  /** The stage copied from; undefined for the build context. */
  from: string | undefined;
  sources: string[];
  destination: string;
  /** The WORKDIR in force, which a relative destination (and a stage's relative source) is under. */
  workdir: string;
}

/** A COPY line's parts, with the WORKDIR in force where it stands. */
export function parseCopy(args: string, workdir: string): Copy {
  const words = args.split(/\s+/);
  const options = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const unknown = options.filter((option) => !option.startsWith('--from='));
  if (unknown.length > 0) throw new Error(`Dockerfile: COPY ${unknown.join(' ')} is not understood here`);
  const from = options.find((option) => option.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1) as string, workdir };
}

/** Where WORKDIR `args` leads from `workdir`. */
export function nextWorkdir(workdir: string, args: string): string {
  return args.startsWith('/') ? args : `${workdir.replace(/\/$/, '')}/${args}`;
}

/** A stage's COPY lines (inherited ones first). */
export function copiesOf(name: string): Copy[] {
  const copies: Copy[] = [];
  let workdir = '/';
  for (const { keyword, args } of instructionsOf(name)) {
    if (keyword === 'WORKDIR') workdir = nextWorkdir(workdir, args);
    if (keyword === 'COPY') copies.push(parseCopy(args, workdir));
  }
  return copies;
}

/** The JSON array of an exec-form CMD (or HEALTHCHECK's CMD). */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}
