import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** docker-compose.yml as compose reads it (YAML merge keys resolved). */
export const composeText = readFileSync(
  fileURLToPath(new URL('../../docker-compose.yml', import.meta.url)),
  'utf8',
);

export interface Container {
  image?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

export const compose = parse(composeText, { merge: true }) as { services: Record<string, Container> };

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
const isComposeService = (name: string): name is ComposeService => name in COMPOSE_SERVICES;

/** The vhost every service's user works on. */
export const AMQP_VHOST = 'delivery';

export const environmentOf = (container: Container | undefined): Record<string, string> =>
  container?.environment ?? {};

/** The containers that run a process of the system (those with an ENTRY), by compose name. */
export const systemProcesses = (): [string, Container][] =>
  Object.entries(compose.services).filter(([, container]) => environmentOf(container).ENTRY !== undefined);

/** The service a process belongs to: services/<service>/src/… in its ENTRY. */
export function serviceOf(container: Container): ComposeService {
  const service = /^services\/([^/]+)\/src\//.exec(environmentOf(container).ENTRY ?? '')?.[1] ?? '';
  if (!isComposeService(service)) throw new Error(`no service of the system runs ${service}`);
  return service;
}

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
export const requiredVariable = (value: string | undefined): string | undefined =>
  /^\$\{([A-Z_]+):\?[^}]+\}$/.exec(value ?? '')?.[1];
