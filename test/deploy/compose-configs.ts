import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { configSchema as gatewayConfigSchema } from '../../services/gateway/src/config.js';
import { configSchema as hitlConfigSchema } from '../../services/hitl/src/config.js';
import {
  apiConfigSchema as jobRunnerApiConfigSchema,
  workerConfigSchema as jobRunnerWorkerConfigSchema,
} from '../../services/job-runner/src/config.js';
import { configSchema as pipelineConfigSchema } from '../../services/pipeline/src/config.js';
import {
  apiConfigSchema as templateBlueprintApiConfigSchema,
  workerConfigSchema as templateBlueprintWorkerConfigSchema,
} from '../../services/template-blueprint/src/config.js';
import { containerOf, type SystemProcess } from './compose-file.js';
import { containerEnvironment, type InterpolationEnv } from './compose-interpolation.js';
import { hostPathOf, type Volumes } from './compose-volumes.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** The schema each process parses its environment with at start (its entry point's `boot`). */
export const CONFIG_SCHEMAS: Record<SystemProcess, z.ZodObject> = {
  gateway: gatewayConfigSchema,
  pipeline: pipelineConfigSchema,
  hitl: hitlConfigSchema,
  'job-runner': jobRunnerApiConfigSchema,
  'job-runner-worker': jobRunnerWorkerConfigSchema,
  'template-blueprint': templateBlueprintApiConfigSchema,
  'template-blueprint-worker': templateBlueprintWorkerConfigSchema,
};

/** What deploy/compose/make-secrets.sh writes into .env, read as compose reads it. */
export async function secretsEnv(dir: string): Promise<Record<string, string>> {
  const file = join(dir, '.env');
  await run('sh', [join(repo, 'deploy/compose/make-secrets.sh'), file]);
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)];
      }),
  );
}

/**
 * A process's variables as its container gets them from compose with `env` as .env, each path
 * into a mounted volume turned into where that volume's folder is here.
 */
export function processEnvironment(
  name: SystemProcess,
  env: InterpolationEnv,
  volumes: Volumes,
): Record<string, string> {
  const container = containerOf(name);
  return Object.fromEntries(
    Object.entries(containerEnvironment(container, env)).map(([variable, value]) => [
      variable,
      (value.startsWith('/') && hostPathOf(container, value, volumes)) || value,
    ]),
  );
}
