import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { KubeObject } from './kustomize.js';

/*
 * Every object against the schema of its kind: the Kubernetes API's OpenAPI schemas and KEDA's
 * CRD schemas, as compiled by kubernetes-models. Those validators accept fields they do not
 * know (so does the API server, which drops them), and a misspelt field is a setting silently
 * lost: `readinessProbes`, `runAsNonroot`. So the validator runs over a proxy that records every
 * field it looks at; a field it never looked at is one no schema declares, and is refused. A map
 * (labels, a KEDA trigger's metadata) is walked key by key by the validator, which counts as
 * looking at every key.
 */

interface Validating {
  prototype: { validate(this: unknown): void };
}

const MODELS: Record<string, Validating> = {
  'v1 Namespace': Namespace,
  'v1 ServiceAccount': ServiceAccount,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'apps/v1 Deployment': Deployment,
  'batch/v1 Job': Job,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1 NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1 Ingress': Ingress,
  'keda.sh/v1alpha1 ScaledObject': ScaledObject,
  'keda.sh/v1alpha1 TriggerAuthentication': TriggerAuthentication,
};

type Node = Record<string, unknown> | unknown[];
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

/** A proxy of `root` that notes, per path, which fields were read and which objects were enumerated. */
function readRecorder(root: Node) {
  const read = new Map<string, Set<string>>();
  const enumerated = new Set<string>();
  const note = (path: string, key: string | symbol) => {
    if (typeof key !== 'string') return;
    const keys = read.get(path) ?? new Set<string>();
    keys.add(key);
    read.set(path, keys);
  };
  const wrap = (node: Node, path: string): Node =>
    new Proxy(node, {
      get(target, key, receiver) {
        note(path, key);
        const value = Reflect.get(target, key, receiver);
        return typeof key === 'string' && Object.hasOwn(target, key) && isNode(value)
          ? wrap(value, `${path}/${key}`)
          : value;
      },
      has(target, key) {
        note(path, key);
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        note(path, key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        enumerated.add(path);
        return Reflect.ownKeys(target);
      },
    });

  /** Fields of objects under `node` that were never read (a map's keys were all read when enumerated). */
  const unread = (node: Node, path: string): string[] =>
    Object.entries(node).flatMap(([key, value]) => {
      const at = `${path}/${key}`;
      if (!Array.isArray(node) && !enumerated.has(path) && !read.get(path)?.has(key)) return [at];
      return isNode(value) ? unread(value, at) : [];
    });

  return { proxy: wrap(root, ''), unknownFields: () => unread(root, '') };
}

/** What is wrong with `object` by its kind's schema: invalid values, unknown fields, an unknown kind. */
export function schemaProblems(object: KubeObject): string[] {
  const id = `${object.kind} ${object.metadata?.name}`;
  const model = MODELS[`${object.apiVersion} ${object.kind}`];
  if (!model)
    return [`${id}: no schema for ${object.apiVersion} ${object.kind} (add its model to schemas.ts)`];
  const recorder = readRecorder(object);
  const problems: string[] = [];
  try {
    model.prototype.validate.call(recorder.proxy);
  } catch (error) {
    problems.push(`${id}: ${(error as Error).message}`);
  }
  for (const field of recorder.unknownFields())
    problems.push(`${id}: ${field} is not a field of ${object.kind}`);
  return problems;
}
