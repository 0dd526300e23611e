import type { KubeObject } from './kustomize.js';

/*
 * The fields of rendered objects the rules read, typed loosely: the schema test has already
 * checked the shapes, so these only name what is there.
 */

export interface SecretKeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: SecretKeyRef;
    configMapKeyRef?: SecretKeyRef;
    fieldRef?: { fieldPath: string };
  };
}

export interface Probe {
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: unknown[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number }; exec?: unknown; httpGet?: unknown } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface KeyToPath {
  key: string;
  path: string;
}

export interface Volume {
  name: string;
  emptyDir?: { sizeLimit?: string };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number };
  projected?: {
    defaultMode?: number;
    sources: {
      secret?: { name: string; items?: KeyToPath[] };
      configMap?: { name: string; items?: KeyToPath[] };
    }[];
  };
}

export interface PodSpec {
  restartPolicy?: string;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    fsGroup?: number;
    seccompProfile?: { type: string };
  };
  topologySpreadConstraints?: {
    topologyKey: string;
    labelSelector?: { matchLabels?: Record<string, string> };
  }[];
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
}

export interface Deployment extends KubeObject {
  kind: 'Deployment';
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string> };
    template: { metadata: { labels?: Record<string, string> }; spec: PodSpec };
  };
}

export interface Job extends KubeObject {
  kind: 'Job';
  spec: {
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    ttlSecondsAfterFinished?: number;
    template: { metadata: { labels?: Record<string, string> }; spec: PodSpec };
  };
}

/** What runs pods from a template: a Deployment (a process) or a Job (a migration). */
export type Workload = Deployment | Job;

export interface ScaleTargetRef {
  apiVersion?: string;
  kind?: string;
  name: string;
}

export interface HorizontalPodAutoscaler extends KubeObject {
  kind: 'HorizontalPodAutoscaler';
  spec: {
    scaleTargetRef: ScaleTargetRef;
    minReplicas?: number;
    maxReplicas: number;
    metrics?: { type: string; resource?: { name: string } }[];
    behavior?: { scaleUp?: unknown; scaleDown?: unknown };
  };
}

export interface ScaledObjectTrigger {
  type: string;
  metadata: Record<string, string>;
  authenticationRef?: { name: string; kind?: string };
}

export interface ScaledObject extends KubeObject {
  kind: 'ScaledObject';
  spec: {
    scaleTargetRef: ScaleTargetRef;
    minReplicaCount?: number;
    maxReplicaCount?: number;
    advanced?: { horizontalPodAutoscalerConfig?: { behavior?: { scaleUp?: unknown; scaleDown?: unknown } } };
    triggers: ScaledObjectTrigger[];
  };
}

export interface TriggerAuthentication extends KubeObject {
  kind: 'TriggerAuthentication';
  spec: { secretTargetRef?: { parameter: string; name: string; key: string }[] };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
}

export interface NetworkPolicyRule {
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicy extends KubeObject {
  kind: 'NetworkPolicy';
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: NetworkPolicyRule[];
    egress?: NetworkPolicyRule[];
  };
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: {
    selector?: Record<string, string>;
    clusterIP?: string;
    ports: { name?: string; port: number; targetPort?: number | string }[];
  };
}

export interface Ingress extends KubeObject {
  kind: 'Ingress';
  spec: {
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: {
      host?: string;
      http?: {
        paths: { backend: { service?: { name: string; port: { name?: string; number?: number } } } }[];
      };
    }[];
    defaultBackend?: unknown;
  };
}

export interface PodDisruptionBudget extends KubeObject {
  kind: 'PodDisruptionBudget';
  spec: { selector?: LabelSelector; maxUnavailable?: number | string; minAvailable?: number | string };
}

export interface ServiceAccount extends KubeObject {
  kind: 'ServiceAccount';
  automountServiceAccountToken?: boolean;
}

export function ofKind<K extends string, T extends KubeObject & { kind: K }>(
  objects: readonly KubeObject[],
  kind: K,
): T[] {
  return objects.filter((object): object is T => object.kind === kind);
}

export const deploymentsOf = (objects: readonly KubeObject[]) =>
  ofKind<'Deployment', Deployment>(objects, 'Deployment');

export const jobsOf = (objects: readonly KubeObject[]) => ofKind<'Job', Job>(objects, 'Job');

/** Whether a selector's labels all hold on `labels` (matchLabels and the In/NotIn/Exists expressions). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key] as string);
    if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key] as string);
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    throw new Error(`unknown selector operator ${operator}`);
  });
  return byLabels && byExpressions;
}

/** A Deployment's pod labels. */
export const podLabels = (deployment: Deployment) => deployment.spec.template.metadata.labels ?? {};

/** The number a container's named (or numbered) port stands for. */
export function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/** A Kubernetes quantity of bytes (`256Mi`, `1G`, `200m` as nginx writes megabytes is not one). */
export function bytesOf(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match) throw new Error(`not a quantity of bytes: ${quantity}`);
  const units: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(match[1]) * (match[2] ? (units[match[2]] as number) : 1);
}
