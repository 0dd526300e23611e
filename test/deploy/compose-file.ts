import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** docker-compose.yml as compose reads it (YAML merge keys resolved). */
export const composeText = readFileSync(
  fileURLToPath(new URL('../../docker-compose.yml', import.meta.url)),
  'utf8',
);

/** A compose `environment` value: null passes the variable on from .env or the shell, if set there. */
export type EnvironmentValue = string | number | boolean | null;

export interface Healthcheck {
  test?: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  disable?: boolean;
}

export interface Container {
  image?: string;
  build?: string | { context?: string; target?: string };
  profiles?: string[];
  restart?: string;
  user?: string;
  read_only?: boolean;
  tmpfs?: string | string[];
  container_name?: string;
  hostname?: string;
  stop_grace_period?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, EnvironmentValue>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  deploy?: { replicas?: number };
}

export interface ComposeFile {
  services: Record<string, Container>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

export const compose = parse(composeText, { merge: true }) as ComposeFile;

/**
 * The services of the system (README "Ownership"): the database each owns and the prefix of its
 * password variables in .env.
 */
export const COMPOSE_SERVICES = {
  gateway: { database: 'gateway', variable: 'GATEWAY' },
  pipeline: { database: 'pipeline', variable: 'PIPELINE' },
  'job-runner': { database: 'jobs', variable: 'JOB_RUNNER' },
  hitl: { database: 'hitl', variable: 'HITL' },
  'template-blueprint': { database: 'blueprints', variable: 'TEMPLATE_BLUEPRINT' },
} as const satisfies Record<string, { database: string; variable: string }>;

export type ComposeService = keyof typeof COMPOSE_SERVICES;

/**
 * The processes of the system, each a compose service of its own, built from the Dockerfile's
 * target of the same name: the service it belongs to (whose database, broker user and identity
 * it has) and whether it serves an API on PORT or is a worker (its /readyz and /metrics on
 * METRICS_PORT).
 */
export const SYSTEM_PROCESSES = {
  gateway: { service: 'gateway', kind: 'api' },
  pipeline: { service: 'pipeline', kind: 'api' },
  hitl: { service: 'hitl', kind: 'api' },
  'job-runner': { service: 'job-runner', kind: 'api' },
  'job-runner-worker': { service: 'job-runner', kind: 'worker' },
  'template-blueprint': { service: 'template-blueprint', kind: 'api' },
  'template-blueprint-worker': { service: 'template-blueprint', kind: 'worker' },
} as const satisfies Record<string, { service: ComposeService; kind: 'api' | 'worker' }>;

export type SystemProcess = keyof typeof SYSTEM_PROCESSES;
export const SYSTEM_PROCESS_NAMES = Object.keys(SYSTEM_PROCESSES) as SystemProcess[];

/** The vhost every service's user works on. */
export const AMQP_VHOST = 'delivery';

/** The environment as written in the file (before interpolation). */
export const environmentOf = (container: Container | undefined): Record<string, EnvironmentValue> =>
  container?.environment ?? {};

/** A process's compose service; throws if the file lacks it. */
export function containerOf(name: string): Container {
  const container = compose.services[name];
  if (!container) throw new Error(`docker-compose.yml has no service ${name}`);
  return container;
}

/** The processes of the system with their compose services, in SYSTEM_PROCESSES's order. */
export const systemProcesses = (): [SystemProcess, Container][] =>
  SYSTEM_PROCESS_NAMES.map((name) => [name, containerOf(name)]);

/** The service a process belongs to. */
export const serviceOf = (name: SystemProcess): ComposeService => SYSTEM_PROCESSES[name].service;

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** A container's `volumes`, in compose's short syntax `source:target[:ro]`. */
export const mountsOf = (container: Container | undefined): Mount[] =>
  (container?.volumes ?? []).map((volume) => {
    const [source = '', target = '', mode] = volume.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });

/** The variable a `${NAME:?message}` value requires (compose stops when it is unset). */
export const requiredVariable = (value: EnvironmentValue | undefined): string | undefined =>
  /^\$\{([A-Z_]+):\?[^}]+\}$/.exec(String(value ?? ''))?.[1];

/** The services a profile adds (`docker compose --profile <name> up`). */
export const servicesOfProfile = (profile: string): string[] =>
  Object.entries(compose.services)
    .filter(([, container]) => container.profiles?.includes(profile))
    .map(([name]) => name);
