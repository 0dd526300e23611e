/**
 * Routing keys follow `<service>.<entity>.<event>.v<N>` (e.g. `jobs.job.succeeded.v1`).
 * Each segment is lower-case so that topic bindings such as `jobs.job.*.v1` stay predictable.
 */
const SEGMENT = /^[a-z][a-z0-9_-]*$/;
const ROUTING_KEY = /^([a-z][a-z0-9_-]*)\.([a-z][a-z0-9_-]*)\.([a-z][a-z0-9_-]*)\.v([1-9][0-9]*)$/;

export interface RoutingKeyParts {
  service: string;
  entity: string;
  event: string;
  version: number;
}

export function routingKey({ service, entity, event, version }: RoutingKeyParts): string {
  for (const [name, value] of Object.entries({ service, entity, event })) {
    if (!SEGMENT.test(value)) throw new Error(`routing key ${name} "${value}" must match ${SEGMENT}`);
  }
  if (!Number.isInteger(version) || version < 1) throw new Error(`routing key version must be >= 1`);
  return `${service}.${entity}.${event}.v${version}`;
}

export function parseRoutingKey(key: string): RoutingKeyParts | undefined {
  const match = ROUTING_KEY.exec(key);
  if (!match) return undefined;
  const [, service, entity, event, version] = match as unknown as [string, string, string, string, string];
  return { service, entity, event, version: Number(version) };
}
