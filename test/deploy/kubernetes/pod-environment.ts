import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { IdentityKeys } from '@delivery/service-kit/identity';
import type { Container, KeyToPath, Volume, Workload } from './manifests.js';
import { catalogKey, type SecretCatalog, type SourceKind } from './secret-catalog.js';

/*
 * What a container of a Deployment would find at start, as the kubelet would make it: its
 * environment (literal values, Secret and ConfigMap keys, pod fields) and the files of its volume
 * mounts, laid out under a directory of the test. Secret and ConfigMap values come from the
 * catalog's examples, key files are freshly made keys; a path into a mount is rewritten to the
 * same path under that directory, so a `_FILE` variable is read from the file the mount would hold
 * (a variable naming a file no mount holds fails the config, as it would in the pod).
 */

export interface PodEnvironment {
  env: Record<string, string>;
  /** What the kubelet could not have given the container. */
  problems: string[];
}

export interface PodEnvironmentOptions {
  catalog: SecretCatalog;
  keys: IdentityKeys;
  /** Where the mounts are laid out (a fresh directory per call). */
  root: string;
  /** Whether the Secrets hold their optional keys (a cluster may have them or not). */
  withOptionalKeys: boolean;
}

/** A pod's name as a ReplicaSet makes it: the Deployment's, a template hash and a suffix. */
const podNameOf = (deployment: Workload) => `${deployment.metadata.name}-5d8c7b9f4-x2x4z`;

function contentOf(
  options: PodEnvironmentOptions,
  kind: SourceKind,
  name: string,
  key: string,
): string | undefined {
  const described = catalogKey(options.catalog, kind, name, key);
  if (!described) return undefined;
  if (described.identityKey === 'public') return JSON.stringify(options.keys.publicKeys);
  if (described.identityKey) {
    const privateKey = options.keys.privateKeys[described.identityKey];
    return privateKey ? JSON.stringify(privateKey) : undefined;
  }
  return described.example;
}

function layOutMount(
  volume: Volume,
  directory: string,
  options: PodEnvironmentOptions,
  problems: string[],
): void {
  mkdirSync(directory, { recursive: true });
  const write = (kind: SourceKind, name: string, items: KeyToPath[] | undefined) => {
    const described = (kind === 'secret' ? options.catalog.secrets : options.catalog.configMaps)[name] ?? {};
    for (const { key, path } of items ?? Object.keys(described).map((key) => ({ key, path: key }))) {
      const content = contentOf(options, kind, name, key);
      if (content === undefined) {
        problems.push(`volume ${volume.name}: ${kind} ${name} has no described key ${key}`);
        continue;
      }
      const file = join(directory, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  };
  if (volume.secret) write('secret', volume.secret.secretName, volume.secret.items);
  if (volume.configMap) write('configMap', volume.configMap.name, volume.configMap.items);
  for (const source of volume.projected?.sources ?? []) {
    if (source.secret) write('secret', source.secret.name, source.secret.items);
    if (source.configMap) write('configMap', source.configMap.name, source.configMap.items);
  }
}

export function podEnvironment(
  deployment: Workload,
  container: Container,
  options: PodEnvironmentOptions,
): PodEnvironment {
  const problems: string[] = [];
  const mounts = container.volumeMounts ?? [];
  const volumes = deployment.spec.template.spec.volumes ?? [];
  for (const mount of mounts) {
    const volume = volumes.find((candidate) => candidate.name === mount.name);
    if (!volume) problems.push(`volume mount ${mount.mountPath}: no volume ${mount.name}`);
    else layOutMount(volume, join(options.root, mount.mountPath), options, problems);
  }
  const intoMount = (value: string) =>
    mounts.some((mount) => value.startsWith(posix.join(mount.mountPath, '/')))
      ? join(options.root, value)
      : value;

  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const { name, value, valueFrom } = variable;
    if (value !== undefined) {
      // Kubernetes would expand it from other variables: not used here, so not emulated.
      if (value.includes('$(')) problems.push(`${name}: $(…) expansion is not emulated`);
      env[name] = intoMount(value);
      continue;
    }
    const reference = valueFrom?.secretKeyRef ?? valueFrom?.configMapKeyRef;
    if (reference) {
      const kind: SourceKind = valueFrom?.secretKeyRef ? 'secret' : 'configMap';
      const content = contentOf(options, kind, reference.name, reference.key);
      if (content === undefined)
        problems.push(`${name}: ${kind} ${reference.name} has no described key ${reference.key}`);
      else if (!reference.optional || options.withOptionalKeys) env[name] = content;
      continue;
    }
    const field = valueFrom?.fieldRef?.fieldPath;
    if (field === 'metadata.name') env[name] = podNameOf(deployment);
    else if (field === 'metadata.namespace') env[name] = deployment.metadata.namespace ?? 'default';
    else problems.push(`${name}: no value the emulation knows (${JSON.stringify(variable)})`);
  }
  return { env, problems };
}
