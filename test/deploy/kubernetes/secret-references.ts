import type { KubeObject } from './kustomize.js';
import {
  deploymentsOf,
  type Ingress,
  jobsOf,
  ofKind,
  type TriggerAuthentication,
  type Volume,
} from './manifests.js';
import { migrationNamed, PUBLIC_KEYS_CONFIG_MAP, processNamed, secretOf } from './processes.js';
import { catalogKey, type SecretCatalog, type SourceKind } from './secret-catalog.js';

/*
 * Every key of a Secret or ConfigMap the rendered objects read: a pod's variables and volumes,
 * KEDA's broker credentials, the Ingress's certificate.
 */

export interface SecretReference {
  kind: SourceKind;
  name: string;
  key: string;
  /** Whether the reader starts without it (`optional: true`). */
  optional: boolean;
  /** Who reads it: `Deployment gateway`, `Job hitl-migrate`, `TriggerAuthentication rabbitmq-pipeline`, … */
  by: string;
}

function volumeReferences(volume: Volume, by: string): SecretReference[] {
  const items = (kind: SourceKind, name: string, list: { key: string }[] | undefined) =>
    (list ?? [{ key: '*' }]).map(({ key }) => ({ kind, name, key, optional: false, by }));
  return [
    ...(volume.secret ? items('secret', volume.secret.secretName, volume.secret.items) : []),
    ...(volume.configMap ? items('configMap', volume.configMap.name, volume.configMap.items) : []),
    ...(volume.projected?.sources ?? []).flatMap((source) => [
      ...(source.secret ? items('secret', source.secret.name, source.secret.items) : []),
      ...(source.configMap ? items('configMap', source.configMap.name, source.configMap.items) : []),
    ]),
  ];
}

export function secretReferences(objects: readonly KubeObject[]): SecretReference[] {
  const fromPods = [...deploymentsOf(objects), ...jobsOf(objects)].flatMap((deployment) => {
    const by = `${deployment.kind} ${deployment.metadata.name}`;
    const { containers, initContainers = [], volumes = [] } = deployment.spec.template.spec;
    const fromEnv = [...containers, ...initContainers].flatMap((container) =>
      (container.env ?? []).flatMap(({ valueFrom }) => {
        const reference = valueFrom?.secretKeyRef ?? valueFrom?.configMapKeyRef;
        if (!reference) return [];
        const kind: SourceKind = valueFrom?.secretKeyRef ? 'secret' : 'configMap';
        return [
          { kind, name: reference.name, key: reference.key, optional: reference.optional === true, by },
        ];
      }),
    );
    return [...fromEnv, ...volumes.flatMap((volume) => volumeReferences(volume, by))];
  });
  const fromKeda = ofKind<'TriggerAuthentication', TriggerAuthentication>(
    objects,
    'TriggerAuthentication',
  ).flatMap((authentication) =>
    (authentication.spec.secretTargetRef ?? []).map(({ name, key }) => ({
      kind: 'secret' as const,
      name,
      key,
      optional: false,
      by: `TriggerAuthentication ${authentication.metadata.name}`,
    })),
  );
  const fromIngress = ofKind<'Ingress', Ingress>(objects, 'Ingress').flatMap((ingress) =>
    (ingress.spec.tls ?? []).flatMap(({ secretName }) =>
      secretName
        ? ['tls.crt', 'tls.key'].map((key) => ({
            kind: 'secret' as const,
            name: secretName,
            key,
            optional: false,
            by: `Ingress ${ingress.metadata.name}`,
          }))
        : [],
    ),
  );
  return [...fromPods, ...fromKeda, ...fromIngress];
}

/** References to keys the catalog does not describe, or describes as optional when they are not (or not). */
export function undescribedProblems(
  references: readonly SecretReference[],
  catalog: SecretCatalog,
): string[] {
  return references.flatMap((reference) => {
    const where = `${reference.by}: ${reference.kind} ${reference.name}`;
    const described =
      reference.key === '*'
        ? (reference.kind === 'secret' ? catalog.secrets : catalog.configMaps)[reference.name] && {
            optional: false,
          }
        : catalogKey(catalog, reference.kind, reference.name, reference.key);
    if (!described)
      return [`${where} key ${reference.key} is not described in deploy/k8s/secret-catalog.yaml`];
    if ((described.optional ?? false) !== reference.optional) {
      return [
        `${where} key ${reference.key} is read as ${reference.optional ? 'optional' : 'required'}, described as ${described.optional ? 'optional' : 'required'}`,
      ];
    }
    return [];
  });
}

/** Described keys that nothing reads: a stale description, or a reference lost. */
export function unreadProblems(references: readonly SecretReference[], catalog: SecretCatalog): string[] {
  const read = new Set(references.map(({ kind, name, key }) => `${kind} ${name} ${key}`));
  const described = (kind: SourceKind, sources: SecretCatalog['secrets']) =>
    Object.entries(sources).flatMap(([name, keys]) =>
      Object.keys(keys).map((key) => `${kind} ${name} ${key}`),
    );
  return [...described('secret', catalog.secrets), ...described('configMap', catalog.configMaps)]
    .filter((key) => !read.has(key))
    .map((key) => `${key} is described but read by nothing`);
}

/**
 * Each service's credentials are its own: a pod reads its service's Secret and the public keys
 * alone, and KEDA reads a queue with the broker user of the service whose queue it is.
 */
export function foreignSecretProblems(objects: readonly KubeObject[]): string[] {
  return secretReferences(objects).flatMap((reference) => {
    const [kind, name] = reference.by.split(' ') as [string, string];
    const reader =
      kind === 'Deployment' ? processNamed(name) : kind === 'Job' ? migrationNamed(name) : undefined;
    if (!reader) return [];
    const own =
      (reference.kind === 'secret' && reference.name === secretOf(reader.service)) ||
      (reference.kind === 'configMap' && reference.name === PUBLIC_KEYS_CONFIG_MAP);
    return own ? [] : [`${reference.by} reads ${reference.kind} ${reference.name}, which is not its own`];
  });
}
