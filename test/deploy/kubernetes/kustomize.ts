import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/*
 * The part of Kustomize that deploy/k8s uses, so the tests render the overlays without a kustomize
 * binary (none comes from npm). A kustomization may hold these fields and no others:
 *   - resources: YAML files, or directories holding a kustomization.yaml;
 *   - namespace: set on every namespaced object;
 *   - labels: `pairs` added to every object's labels and, with `includeTemplates`, to a
 *     Deployment's pod template (`includeSelectors: true` is refused: selectors stay as written);
 *   - images: `name` matched against a container's image without tag or digest, then `newName`,
 *     `newTag` and/or `digest` applied;
 *   - patches: `path` to a strategic merge patch (one or more documents, each naming its target by
 *     apiVersion, kind and metadata.name).
 * A strategic merge patch here merges maps, replaces scalars, deletes a key set to null, merges the
 * lists Kubernetes declares with a merge key (containers and env by name, for the built-in kinds),
 * and replaces every other list, as kustomize does for atomic lists and for custom resources.
 * Anything else (another field, a list with a merge key not listed below, `$patch`) is refused, so
 * the subset cannot be outgrown silently. Transformers run in kustomize's order: patches,
 * namespace, labels, images. test/deploy/kustomize.test.ts compares the result with
 * `kubectl kustomize` where kubectl is installed.
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'patches',
]);

/** Kinds that are not namespaced, among those a kustomization here may hold. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

/** Kinds with a pod template at spec.template, which `includeTemplates` labels. */
const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * Lists the Kubernetes API merges by a key in a strategic merge patch (patchMergeKey), for the
 * lists the patches here touch. Lists of built-in kinds with a merge key not named here are
 * refused rather than merged wrongly.
 */
const MERGE_KEYS: Record<string, string> = { containers: 'name', initContainers: 'name', env: 'name' };
/** Lists of built-in kinds the API replaces whole (no merge key), among those patches here touch. */
const ATOMIC_LISTS = new Set(['rules', 'tls', 'hosts', 'paths', 'metrics', 'policies']);

class KustomizeSubsetError extends Error {}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const clone = <T>(value: T): T => structuredClone(value);

function readYamlDocuments(file: string): JsonObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0)
        throw new KustomizeSubsetError(`${file}: ${document.errors[0]?.message}`);
      return document.toJS() as Json;
    })
    .filter((value): value is JsonObject => value !== null)
    .map((value) => {
      if (!isObject(value)) throw new KustomizeSubsetError(`${file}: a document is not an object`);
      return value;
    });
}

function asObjects(file: string): KubeObject[] {
  return readYamlDocuments(file).map((document) => {
    const metadata = document.metadata;
    if (typeof document.apiVersion !== 'string' || typeof document.kind !== 'string' || !isObject(metadata)) {
      throw new KustomizeSubsetError(`${file}: every document needs apiVersion, kind and metadata`);
    }
    if (typeof metadata.name !== 'string') throw new KustomizeSubsetError(`${file}: a document has no name`);
    return document as unknown as KubeObject;
  });
}

const idOf = (object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>) =>
  `${object.apiVersion} ${object.kind} ${object.metadata.name}`;

const isBuiltIn = (apiVersion: string) => !apiVersion.includes('.') || apiVersion.includes('.k8s.io/');

/** A strategic merge patch of `target` by `patch` (both plain JSON), in the subset described above. */
export function strategicMerge(target: Json, patch: Json, builtIn: boolean, path = ''): Json {
  if (!isObject(patch)) return clone(patch);
  if ('$patch' in patch || Object.keys(patch).some((key) => key.startsWith('$'))) {
    throw new KustomizeSubsetError(`${path}: patch directives are not in the subset`);
  }
  const merged: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    const at = `${path}/${key}`;
    if (value === null) {
      delete merged[key];
    } else if (Array.isArray(value)) {
      merged[key] = mergeList(merged[key], value, key, builtIn, at);
    } else {
      merged[key] = strategicMerge(merged[key] ?? null, value, builtIn, at);
    }
  }
  return merged;
}

function mergeList(
  target: Json | undefined,
  patch: Json[],
  field: string,
  builtIn: boolean,
  path: string,
): Json {
  const mergeKey = builtIn ? MERGE_KEYS[field] : undefined;
  if (!mergeKey) {
    if (builtIn && patch.some(isObject) && !ATOMIC_LISTS.has(field)) {
      throw new KustomizeSubsetError(`${path}: a list of objects whose merge rule is not in the subset`);
    }
    return clone(patch);
  }
  const original = Array.isArray(target) ? target : [];
  const keyOf = (item: Json) => (isObject(item) ? item[mergeKey] : undefined);
  // As kustomize orders them: the patch's items first (each merged into its namesake), then the
  // target's items the patch does not name.
  const patched = patch.map((item) => {
    if (!isObject(item) || typeof item[mergeKey] !== 'string') {
      throw new KustomizeSubsetError(`${path}: every item needs its ${mergeKey}`);
    }
    const namesake = original.find((existing) => keyOf(existing) === item[mergeKey]);
    return strategicMerge(namesake ?? null, item, builtIn, `${path}/${item[mergeKey]}`);
  });
  const named = new Set(patch.map(keyOf));
  return [...patched, ...original.filter((item) => !named.has(keyOf(item))).map(clone)];
}

interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** `name[:tag][@digest]`, the registry's port not mistaken for a tag. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withTag = '', digest] = image.split('@');
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  if (colon > slash) return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { name: withTag, digest };
}

function applyImage(image: string, rule: ImageRule): string {
  const parts = splitImage(image);
  if (parts.name !== rule.name) return image;
  const name = rule.newName ?? parts.name;
  if (rule.digest) return `${name}@${rule.digest}`;
  const tag = rule.newTag ?? parts.tag;
  return `${name}${tag ? `:${tag}` : ''}${parts.digest && !rule.newTag ? `@${parts.digest}` : ''}`;
}

function podSpecs(object: KubeObject): JsonObject[] {
  const template = isObject(object.spec) ? object.spec.template : undefined;
  const spec = isObject(template) ? template.spec : undefined;
  return isObject(spec) ? [spec] : [];
}

function containersOf(object: KubeObject): JsonObject[] {
  return podSpecs(object).flatMap((spec) =>
    [spec.containers, spec.initContainers].flatMap((list) =>
      Array.isArray(list) ? list.filter(isObject) : [],
    ),
  );
}

interface LabelRule {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}

function addLabels(object: KubeObject, rule: LabelRule): void {
  if (rule.includeSelectors) throw new KustomizeSubsetError('labels: includeSelectors is not in the subset');
  object.metadata.labels = { ...object.metadata.labels, ...rule.pairs };
  if (!rule.includeTemplates || !TEMPLATED.has(object.kind)) return;
  const spec = object.spec as JsonObject;
  const template = (spec.template ?? {}) as JsonObject;
  const metadata = (template.metadata ?? {}) as JsonObject;
  metadata.labels = { ...((metadata.labels as JsonObject | undefined) ?? {}), ...rule.pairs };
  template.metadata = metadata;
  spec.template = template;
}

/** The objects `kustomize build <dir>` would print (in resource order; kustomize sorts them). */
export function renderKustomization(dir: string): KubeObject[] {
  const file = join(dir, 'kustomization.yaml');
  const [kustomization] = readYamlDocuments(file);
  if (!kustomization) throw new KustomizeSubsetError(`${file}: empty`);
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) {
    throw new KustomizeSubsetError(
      `${file}: ${unsupported.join(', ')} not in the subset this renderer knows`,
    );
  }

  let objects = ((kustomization.resources ?? []) as string[]).flatMap((resource) => {
    const path = resolve(dir, resource);
    return statSync(path).isDirectory() ? renderKustomization(path) : asObjects(path);
  });
  const ids = objects.map(idOf);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new KustomizeSubsetError(`${file}: ${duplicate} appears twice`);

  for (const entry of (kustomization.patches ?? []) as JsonObject[]) {
    const keys = Object.keys(entry);
    if (keys.length !== 1 || typeof entry.path !== 'string') {
      throw new KustomizeSubsetError(
        `${file}: a patch is { path } alone in the subset (no target, no inline patch)`,
      );
    }
    const patchFile = resolve(dir, entry.path);
    for (const patch of asObjects(patchFile)) {
      const index = objects.findIndex((object) => idOf(object) === idOf(patch));
      if (index === -1) throw new KustomizeSubsetError(`${patchFile}: no ${idOf(patch)} to patch`);
      const target = objects[index] as KubeObject;
      objects[index] = strategicMerge(
        target as unknown as Json,
        patch as unknown as Json,
        isBuiltIn(target.apiVersion),
      ) as unknown as KubeObject;
    }
  }

  const namespace = kustomization.namespace;
  if (typeof namespace === 'string') {
    objects = objects.map((object) =>
      CLUSTER_SCOPED.has(object.kind) ? object : { ...object, metadata: { ...object.metadata, namespace } },
    );
  }

  for (const rule of (kustomization.labels ?? []) as unknown as LabelRule[]) {
    for (const object of objects) addLabels(object, rule);
  }

  for (const rule of (kustomization.images ?? []) as unknown as ImageRule[]) {
    for (const container of objects.flatMap(containersOf)) {
      if (typeof container.image === 'string') container.image = applyImage(container.image, rule);
    }
  }
  return objects;
}

/** deploy/k8s, and the overlays a cluster is deployed from. */
export const K8S_DIR = fileURLToPath(new URL('../../../deploy/k8s', import.meta.url));
export const OVERLAYS = ['local', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export const renderOverlay = (overlay: Overlay): KubeObject[] =>
  renderKustomization(join(K8S_DIR, 'overlays', overlay));
