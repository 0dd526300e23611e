import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@delivery/service-kit/config';
import { classifyAddress } from '@delivery/service-kit/egress';
import { generateIdentityKeys, IDENTITY_KEY_NAMES, type IdentityKeys } from '@delivery/service-kit/identity';
import type { KubeObject } from './kustomize.js';
import {
  bytesOf,
  type Container,
  type Deployment,
  deploymentsOf,
  type HorizontalPodAutoscaler,
  type Ingress,
  type NetworkPolicy,
  ofKind,
  type PodDisruptionBudget,
  podLabels,
  portNumber,
  type ScaledObject,
  type Service,
  type ServiceAccount,
  selects,
  type TriggerAuthentication,
  type Workload,
} from './manifests.js';
import { foreignPod, NetworkPolicies, podOf, podsOf } from './network.js';
import { podEnvironment } from './pod-environment.js';
import { PROCESSES, type ProcessSpec, processNamed, secretOf } from './processes.js';
import type { SecretCatalog } from './secret-catalog.js';

/*
 * What an SRE checks in a review, as functions of the rendered objects that return what is wrong
 * ([] when nothing is), so each can be shown failing on a broken copy.
 */

export const PART_OF = 'delivery-pipeline';
const RUN_AS = 10001;
/** What a process holds at start (≈170 MB measured), with room: the least memory it may request. */
export const MIN_MEMORY_REQUEST = 192 * 2 ** 20;

const containerOf = (deployment: Deployment): Container | undefined =>
  deployment.spec.template.spec.containers[0];

const envValue = (container: Container | undefined, name: string) =>
  container?.env?.find((variable) => variable.name === name)?.value;

/** Every Deployment is one of the system's processes, and every process has one. */
export function processDeploymentProblems(objects: readonly KubeObject[]): string[] {
  const names = deploymentsOf(objects).map((deployment) => deployment.metadata.name);
  return [
    ...PROCESSES.filter((process) => !names.includes(process.name)).map(
      (process) => `${process.name}: no Deployment`,
    ),
    ...names
      .filter((name) => !processNamed(name))
      .map((name) => `${name}: a Deployment of no process of the system`),
  ];
}

function labelProblems(deployment: Deployment, process: ProcessSpec): string[] {
  const expected = {
    'app.kubernetes.io/name': process.name,
    'app.kubernetes.io/component': process.role,
    'app.kubernetes.io/part-of': PART_OF,
  };
  const problems: string[] = [];
  for (const [where, labels] of [
    ['labels', deployment.metadata.labels ?? {}],
    ['pod labels', podLabels(deployment)],
  ] as const) {
    for (const [key, value] of Object.entries(expected)) {
      if (labels[key] !== value) problems.push(`${where}: ${key} is ${labels[key]}, not ${value}`);
    }
  }
  if (!selects(deployment.spec.selector, podLabels(deployment)))
    problems.push('its selector misses its own pods');
  return problems;
}

function imageProblems(container: Container, process: ProcessSpec): string[] {
  const match = /^(?:.+\/)?delivery\/([a-z-]+)(?::([\w.-]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(
    container.image,
  );
  if (!match || match[1] !== process.name)
    return [`image ${container.image} is not delivery/${process.name}`];
  const [, , tag, digest] = match;
  if (!digest && (!tag || tag === 'latest'))
    return [`image ${container.image} is pinned by neither a tag nor a digest`];
  return [];
}

export function securityProblems(deployment: Workload, container: Container): string[] {
  const pod = deployment.spec.template.spec.securityContext ?? {};
  const own = container.securityContext ?? {};
  const problems: string[] = [];
  if (pod.runAsNonRoot !== true) problems.push('runAsNonRoot is not true');
  if (pod.runAsUser !== RUN_AS || pod.runAsGroup !== RUN_AS)
    problems.push(`does not run as ${RUN_AS}:${RUN_AS}`);
  if (own.runAsUser !== undefined && own.runAsUser !== RUN_AS)
    problems.push(`the container runs as ${own.runAsUser}`);
  if (pod.seccompProfile?.type !== 'RuntimeDefault') problems.push('seccomp profile is not RuntimeDefault');
  if (own.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation is not false');
  if (own.privileged === true) problems.push('privileged');
  if (!own.capabilities?.drop?.includes('ALL')) problems.push('capabilities: ALL not dropped');
  if ((own.capabilities?.add ?? []).length > 0) problems.push(`capabilities added: ${own.capabilities?.add}`);
  if (own.readOnlyRootFilesystem !== true) problems.push('the root filesystem is writable');
  const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
  const tmpVolume = deployment.spec.template.spec.volumes?.find((volume) => volume.name === tmp?.name);
  if (!tmpVolume?.emptyDir) problems.push('no emptyDir at /tmp, the one writable place');
  return problems;
}

function probeProblems(container: Container, process: ProcessSpec): string[] {
  const problems: string[] = [];
  const expected = {
    startupProbe: '/healthz',
    readinessProbe: '/readyz',
    livenessProbe: '/healthz',
  } as const;
  for (const [probe, path] of Object.entries(expected) as [keyof typeof expected, string][]) {
    const httpGet = container[probe]?.httpGet;
    if (!httpGet) {
      problems.push(`no ${probe}`);
      continue;
    }
    if (httpGet.path !== path) problems.push(`${probe} asks ${httpGet.path}, not ${path}`);
    const port = portNumber(container, httpGet.port);
    if (port !== process.port)
      problems.push(`${probe} asks port ${httpGet.port} (${port}), not ${process.port}`);
  }
  // The process listens where its probes ask: PORT for an API, METRICS_PORT for a worker.
  const listening = envValue(container, process.role === 'api' ? 'PORT' : 'METRICS_PORT');
  if (Number(listening) !== process.port) problems.push(`it listens on ${listening}, not ${process.port}`);
  return problems;
}

export function resourceProblems(container: Container): string[] {
  const { requests = {}, limits = {} } = container.resources ?? {};
  const problems: string[] = [];
  if (!requests.cpu) problems.push('no CPU request (the CPU autoscalers measure against it)');
  if (!requests.memory || bytesOf(requests.memory) < MIN_MEMORY_REQUEST) {
    problems.push(`memory request ${requests.memory} is below what the process holds at start (192Mi)`);
  }
  if (!limits.memory || (requests.memory && bytesOf(limits.memory) < bytesOf(requests.memory))) {
    problems.push(`memory limit ${limits.memory} is missing or below the request`);
  }
  return problems;
}

function shutdownProblems(deployment: Deployment, container: Container, process: ProcessSpec): string[] {
  const preStop = container.lifecycle?.preStop;
  const sleep = preStop?.sleep?.seconds ?? 0;
  const problems: string[] = [];
  // An API keeps serving while the endpoints drop it; only then does its own drain begin.
  if (process.role === 'api' && sleep <= 0)
    problems.push('no preStop sleep: requests still routed to it are refused');
  if (preStop?.exec) problems.push('preStop exec needs a shell command the image may not have: use sleep');
  const grace = deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;
  if (grace <= sleep + process.shutdownBoundSeconds) {
    problems.push(
      `terminationGracePeriodSeconds ${grace} does not cover preStop ${sleep} s + shutdown ${process.shutdownBoundSeconds} s`,
    );
  }
  return problems;
}

function placementProblems(deployment: Deployment, objects: readonly KubeObject[]): string[] {
  const spec = deployment.spec.template.spec;
  const problems: string[] = [];
  const spread = (spec.topologySpreadConstraints ?? []).filter((constraint) =>
    selects(constraint.labelSelector, podLabels(deployment)),
  );
  for (const key of ['kubernetes.io/hostname', 'topology.kubernetes.io/zone']) {
    if (!spread.some((constraint) => constraint.topologyKey === key))
      problems.push(`its pods are not spread over ${key}`);
  }
  if (spec.automountServiceAccountToken !== false) problems.push('its pods get a service account token');
  const account = ofKind<'ServiceAccount', ServiceAccount>(objects, 'ServiceAccount').find(
    (candidate) => candidate.metadata.name === spec.serviceAccountName,
  );
  if (!account) problems.push(`no ServiceAccount ${spec.serviceAccountName} of its own`);
  else if (account.automountServiceAccountToken !== false)
    problems.push(`ServiceAccount ${account.metadata.name} mounts its token`);
  return problems;
}

/** Every process's pods: labels, image, security, probes, resources, shutdown, placement. */
export function podProblems(objects: readonly KubeObject[]): string[] {
  return deploymentsOf(objects).flatMap((deployment) => {
    const process = processNamed(deployment.metadata.name);
    if (!process) return [];
    const { containers, initContainers = [] } = deployment.spec.template.spec;
    const container = containerOf(deployment);
    if (!container || containers.length !== 1 || initContainers.length > 0) {
      return [`${process.name}: one container expected, no init containers`];
    }
    return [
      ...labelProblems(deployment, process),
      ...imageProblems(container, process),
      ...securityProblems(deployment, container),
      ...probeProblems(container, process),
      ...resourceProblems(container),
      ...shutdownProblems(deployment, container, process),
      ...placementProblems(deployment, objects),
      ...(container.envFrom ? ['envFrom would turn every key of a Secret into a variable'] : []),
    ].map((problem) => `${process.name}: ${problem}`);
  });
}

/** One PodDisruptionBudget per Deployment. */
export function disruptionBudgetProblems(objects: readonly KubeObject[]): string[] {
  const budgets = ofKind<'PodDisruptionBudget', PodDisruptionBudget>(objects, 'PodDisruptionBudget');
  return deploymentsOf(objects).flatMap((deployment) => {
    const covering = budgets.filter((budget) => selects(budget.spec.selector, podLabels(deployment)));
    if (covering.length !== 1)
      return [`${deployment.metadata.name}: ${covering.length} PodDisruptionBudgets, not 1`];
    const [budget] = covering;
    return budget?.spec.maxUnavailable === undefined && budget?.spec.minAvailable === undefined
      ? [`${deployment.metadata.name}: its PodDisruptionBudget bounds nothing`]
      : [];
  });
}

const targets = (ref: { kind?: string; name: string }, deployment: Deployment) =>
  (ref.kind ?? 'Deployment') === 'Deployment' && ref.name === deployment.metadata.name;

/**
 * Exactly one autoscaler per Deployment, which then has no replicas: a CPU HPA (with behavior) for
 * an API, a ScaledObject on its queue's backlog for a queue consumer.
 */
export function autoscalerProblems(objects: readonly KubeObject[]): string[] {
  const hpas = ofKind<'HorizontalPodAutoscaler', HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
  const scaledObjects = ofKind<'ScaledObject', ScaledObject>(objects, 'ScaledObject');
  const authentications = ofKind<'TriggerAuthentication', TriggerAuthentication>(
    objects,
    'TriggerAuthentication',
  );
  const deployments = deploymentsOf(objects);
  const problems = [...hpas, ...scaledObjects]
    .filter(({ spec }) => !deployments.some((deployment) => targets(spec.scaleTargetRef, deployment)))
    .map(
      (autoscaler) => `${autoscaler.kind} ${autoscaler.metadata.name}: scales no Deployment of the system`,
    );

  for (const deployment of deployments) {
    const name = deployment.metadata.name;
    const process = processNamed(name);
    const hpa = hpas.filter((candidate) => targets(candidate.spec.scaleTargetRef, deployment));
    const scaled = scaledObjects.filter((candidate) => targets(candidate.spec.scaleTargetRef, deployment));
    if (deployment.spec.replicas !== undefined) {
      problems.push(
        `${name}: replicas ${deployment.spec.replicas} beside its autoscaler (an apply resets the scale)`,
      );
    }
    if (hpa.length + scaled.length !== 1) {
      problems.push(
        `${name}: ${hpa.length} HPAs and ${scaled.length} ScaledObjects, not exactly one autoscaler`,
      );
      continue;
    }
    if (process?.scaledOnQueue) {
      const [scaledObject] = scaled;
      if (!scaledObject) {
        problems.push(
          `${name}: consumes ${process.scaledOnQueue} but is not scaled on its backlog (no ScaledObject)`,
        );
        continue;
      }
      const onQueue = scaledObject.spec.triggers.filter(
        (trigger) => trigger.type === 'rabbitmq' && trigger.metadata.queueName === process.scaledOnQueue,
      );
      if (onQueue.length !== 1) problems.push(`${name}: no rabbitmq trigger on ${process.scaledOnQueue}`);
      for (const trigger of scaledObject.spec.triggers.filter(({ type }) => type === 'rabbitmq')) {
        const reference = trigger.authenticationRef?.name;
        if (!authentications.some((authentication) => authentication.metadata.name === reference)) {
          problems.push(
            `${name}: its rabbitmq trigger authenticates with a missing TriggerAuthentication ${reference}`,
          );
        }
        if (trigger.metadata.host)
          problems.push(`${name}: a broker address in the trigger, not from a Secret`);
      }
      const behavior = scaledObject.spec.advanced?.horizontalPodAutoscalerConfig?.behavior;
      if (!behavior?.scaleUp || !behavior.scaleDown)
        problems.push(`${name}: no scale-up and scale-down behavior`);
      if ((scaledObject.spec.minReplicaCount ?? 0) < 1) problems.push(`${name}: may scale to zero`);
    } else {
      const [autoscaler] = hpa;
      if (!autoscaler) {
        problems.push(
          `${name}: an API without a queue of its own scales on CPU (an HPA), not a ScaledObject`,
        );
        continue;
      }
      if (autoscaler.apiVersion !== 'autoscaling/v2')
        problems.push(`${name}: HPA is ${autoscaler.apiVersion}`);
      if (
        !autoscaler.spec.metrics?.some(
          (metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu',
        )
      ) {
        problems.push(`${name}: its HPA does not scale on CPU`);
      }
      if (!autoscaler.spec.behavior?.scaleUp || !autoscaler.spec.behavior.scaleDown) {
        problems.push(`${name}: no scale-up and scale-down behavior`);
      }
      if ((autoscaler.spec.minReplicas ?? 1) < 1) problems.push(`${name}: minReplicas below 1`);
    }
  }
  return problems;
}

/**
 * Every queue KEDA measures is one the scaled process's service declares (its topology.ts), read
 * as that service's own broker user.
 */
export function queueProblems(objects: readonly KubeObject[]): string[] {
  const authentications = ofKind<'TriggerAuthentication', TriggerAuthentication>(
    objects,
    'TriggerAuthentication',
  );
  return ofKind<'ScaledObject', ScaledObject>(objects, 'ScaledObject').flatMap((scaledObject) => {
    const process = processNamed(scaledObject.spec.scaleTargetRef.name);
    if (!process) return [];
    return scaledObject.spec.triggers
      .filter((trigger) => trigger.type === 'rabbitmq')
      .flatMap((trigger) => {
        const queue = trigger.metadata.queueName;
        const problems: string[] = [];
        if (!process.topology.queues.some((declared) => declared.name === queue)) {
          problems.push(`${process.name}: KEDA measures ${queue}, which ${process.service} does not declare`);
        }
        const authentication = authentications.find(
          (candidate) => candidate.metadata.name === trigger.authenticationRef?.name,
        );
        const host = authentication?.spec.secretTargetRef?.find(
          (reference) => reference.parameter === 'host',
        );
        if (host && (host.name !== secretOf(process.service) || host.key !== 'AMQP_URL')) {
          problems.push(
            `${process.name}: KEDA reads its queue with ${host.name}/${host.key}, not its own broker user`,
          );
        }
        return problems;
      });
  });
}

interface Target {
  deployment: Deployment;
  port: number;
}

/** Where a Service's port (by number or name) lands: the Deployment it selects and the container port. */
export function serviceTarget(
  objects: readonly KubeObject[],
  name: string,
  port: number | string,
): Target | undefined {
  const service = ofKind<'Service', Service>(objects, 'Service').find(
    (candidate) => candidate.metadata.name === name,
  );
  const servicePort = service?.spec.ports.find(
    (candidate) => candidate.port === port || candidate.name === port,
  );
  if (!service?.spec.selector || !servicePort) return undefined;
  const selector = { matchLabels: service.spec.selector };
  const deployment = deploymentsOf(objects).find((candidate) => selects(selector, podLabels(candidate)));
  const container = deployment && containerOf(deployment);
  const containerPort = container && portNumber(container, servicePort.targetPort ?? servicePort.port);
  return deployment && containerPort ? { deployment, port: containerPort } : undefined;
}

/** Where an in-cluster URL (`http://<service>:<port>`) lands. */
export function resolveServiceUrl(objects: readonly KubeObject[], url: string): Target | undefined {
  const parsed = new URL(url);
  return serviceTarget(
    objects,
    parsed.hostname,
    Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
  );
}

/** The in-cluster URLs a process's environment names (*_URL and PLATFORM_SERVICE_URLS values). */
export function calledUrls(container: Container | undefined): { variable: string; url: string }[] {
  return (container?.env ?? []).flatMap(({ name, value }) => {
    if (value === undefined) return [];
    const urls =
      name === 'PLATFORM_SERVICE_URLS' ? value.split(',').map((entry) => entry.split('=')[1] ?? '') : [value];
    return urls
      .filter((url) => /^https?:\/\/[^./:]+(:\d+)?(\/|$)/.test(url))
      .map((url) => ({ variable: name, url }));
  });
}

/** Every API has a Service that reaches it; every in-cluster URL a process names reaches a process. */
export function serviceProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const deployment of deploymentsOf(objects)) {
    const process = processNamed(deployment.metadata.name);
    const reached = ofKind<'Service', Service>(objects, 'Service').some((service) =>
      selects({ matchLabels: service.spec.selector }, podLabels(deployment)),
    );
    if (process?.role === 'api' && !reached)
      problems.push(`${deployment.metadata.name}: no Service reaches it`);
    for (const { variable, url } of calledUrls(containerOf(deployment))) {
      if (!resolveServiceUrl(objects, url)) {
        problems.push(
          `${deployment.metadata.name}: ${variable} names ${url}, which no Service and pod answer`,
        );
      }
    }
  }
  return problems;
}

/** An nginx size (`200m`): bytes, in nginx's binary units. */
export function nginxBytes(size: string): number {
  const match = /^(\d+)([kKmMgG]?)$/.exec(size);
  if (!match) throw new Error(`not an nginx size: ${size}`);
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(match[2] ?? '').toLowerCase()] as number;
  return Number(match[1]) * unit;
}

export interface GatewaySettings {
  UPLOAD_MAX_BYTES: number;
  UPSTREAM_TIMEOUT_MS: number;
  CLIENT_BODY_TIMEOUT_MS: number;
  EVENTS_MAX_STREAM_MS: number;
  EVENTS_KEEPALIVE_MS: number;
}

const NGINX = 'nginx.ingress.kubernetes.io';

/**
 * The Ingress sends everything to the gateway, passes live events through unbuffered and open
 * longer than a stream lasts, and refuses bodies past the gateway's own upload limit (no sooner).
 */
export function ingressProblems(objects: readonly KubeObject[], gateway: GatewaySettings): string[] {
  const ingresses = ofKind<'Ingress', Ingress>(objects, 'Ingress');
  if (ingresses.length !== 1) return [`${ingresses.length} Ingresses, not 1`];
  const [ingress] = ingresses as [Ingress];
  const problems: string[] = [];
  const backends = (ingress.spec.rules ?? [])
    .flatMap((rule) => rule.http?.paths ?? [])
    .map((path) => path.backend.service);
  if (backends.length === 0 || ingress.spec.defaultBackend)
    problems.push('routes nothing, or routes by a default backend');
  for (const backend of backends) {
    const port = backend?.port.name ?? backend?.port.number ?? 0;
    const target = backend && serviceTarget(objects, backend.name, port);
    if (target?.deployment.metadata.name !== 'gateway')
      problems.push(`a path goes to ${backend?.name}:${port}, not the gateway`);
  }
  const annotations = ingress.metadata.annotations ?? {};
  const seconds = (key: string) => Number(annotations[`${NGINX}/${key}`] ?? 60);
  if (annotations[`${NGINX}/proxy-buffering`] !== 'off')
    problems.push('responses are buffered: live events would stall');
  if (annotations[`${NGINX}/proxy-request-buffering`] !== 'off')
    problems.push('uploads are spooled to the controller first');
  const longestWait = Math.max(
    gateway.EVENTS_MAX_STREAM_MS,
    gateway.UPSTREAM_TIMEOUT_MS,
    gateway.EVENTS_KEEPALIVE_MS,
  );
  if (seconds('proxy-read-timeout') * 1000 <= longestWait) {
    problems.push(
      `proxy-read-timeout ${seconds('proxy-read-timeout')} s cuts a live-event stream (${longestWait} ms)`,
    );
  }
  if (seconds('proxy-send-timeout') * 1000 <= gateway.CLIENT_BODY_TIMEOUT_MS) {
    problems.push(
      `proxy-send-timeout ${seconds('proxy-send-timeout')} s is shorter than the gateway's body timeout`,
    );
  }
  const bodySize = nginxBytes(annotations[`${NGINX}/proxy-body-size`] ?? '1m');
  if (bodySize !== gateway.UPLOAD_MAX_BYTES) {
    problems.push(
      `proxy-body-size is ${bodySize} bytes, the gateway's UPLOAD_MAX_BYTES ${gateway.UPLOAD_MAX_BYTES}`,
    );
  }
  return problems;
}

/** Addresses of every kind the workers' egress policy tells apart, to ask the NetworkPolicies about. */
const SAMPLE_ADDRESSES = [
  '8.8.8.8',
  '10.20.0.5',
  '172.20.0.5',
  '192.168.1.5',
  '100.64.0.5',
  '169.254.169.254',
  '127.0.0.1',
];
const DATASTORE_PORTS = [27017, 5672, 5671];
const DNS = foreignPod('kube-system', { 'k8s-app': 'kube-dns' });
/** The ingress controller's and Prometheus's pods. */
export const INGRESS_CONTROLLER = foreignPod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
export const PROMETHEUS = foreignPod('monitoring', { 'app.kubernetes.io/name': 'prometheus' });

/**
 * The NetworkPolicies allow exactly the calls the processes' configurations make: within the
 * namespace, process A reaches process B on port P if and only if A's environment names a URL
 * that lands on B:P. From outside, the ingress controller reaches the gateway alone, Prometheus
 * every process's metrics port. Out of the cluster, every process resolves names and reaches
 * MongoDB and RabbitMQ; beyond that only a process whose egress configuration names an outside
 * host (`outsideHosts`), only on that port, and only at public addresses.
 */
export function networkProblems(objects: readonly KubeObject[], outsideHosts: Map<string, URL[]>): string[] {
  const policies = new NetworkPolicies(objects);
  const deployments = deploymentsOf(objects);
  const pods = podsOf(objects);
  const problems: string[] = [];

  // Said once, plainly, rather than left to follow from whichever policies select every pod.
  const defaultDeny = ofKind<'NetworkPolicy', NetworkPolicy>(objects, 'NetworkPolicy').some(
    ({ spec }) =>
      Object.keys(spec.podSelector).length === 0 &&
      ['Ingress', 'Egress'].every((type) => spec.policyTypes?.includes(type as 'Ingress' | 'Egress')) &&
      !spec.ingress?.length &&
      !spec.egress?.length,
  );
  if (!defaultDeny) problems.push('no default-deny NetworkPolicy (every pod, both directions, no rule)');

  const expected = new Set(
    deployments.flatMap((from) =>
      calledUrls(containerOf(from)).flatMap(({ url }) => {
        const target = resolveServiceUrl(objects, url);
        return target && target.deployment !== from
          ? [`${from.metadata.name} → ${target.deployment.metadata.name}:${target.port}`]
          : [];
      }),
    ),
  );
  for (const from of deployments) {
    for (const to of deployments) {
      if (from === to) continue;
      for (const { containerPort } of containerOf(to)?.ports ?? []) {
        const edge = `${from.metadata.name} → ${to.metadata.name}:${containerPort}`;
        const allowed = policies.allows(podOf(from), podOf(to), containerPort);
        if (allowed && !expected.has(edge))
          problems.push(`${edge} is allowed, but no configuration calls it`);
        if (!allowed && expected.has(edge))
          problems.push(`${edge} is called, but the NetworkPolicies refuse it`);
      }
    }
  }

  for (const [name, pod] of pods) {
    const process = processNamed(name);
    const port = process?.port ?? 0;
    if (!policies.allows(PROMETHEUS, pod, port))
      problems.push(`${name}: Prometheus cannot scrape port ${port}`);
    const publicEntry = policies.allows(INGRESS_CONTROLLER, pod, port);
    if (name === 'gateway' && !publicEntry) problems.push('gateway: the ingress controller cannot reach it');
    if (name !== 'gateway' && publicEntry) problems.push(`${name}: reachable from the ingress controller`);
    if (!policies.allows(pod, DNS, 53, 'UDP')) problems.push(`${name}: cannot resolve names`);
    for (const datastorePort of DATASTORE_PORTS.slice(0, 2)) {
      if (!policies.allows(pod, { kind: 'address', address: '10.20.0.5' }, datastorePort)) {
        problems.push(`${name}: cannot reach MongoDB or RabbitMQ (port ${datastorePort})`);
      }
    }
    const outside = outsideHosts.get(name) ?? [];
    const outsidePorts = new Set(
      outside.map((url) => Number(url.port || (url.protocol === 'https:' ? 443 : 80))),
    );
    for (const address of SAMPLE_ADDRESSES) {
      const isPublic = classifyAddress(address) === 'public';
      for (const outsidePort of [80, 443, 8080, ...outsidePorts]) {
        if (DATASTORE_PORTS.includes(outsidePort)) continue;
        const allowed = policies.allows(pod, { kind: 'address', address }, outsidePort);
        const called = isPublic && outsidePorts.has(outsidePort);
        if (allowed && !called)
          problems.push(`${name}: may reach ${address}:${outsidePort}, which its egress policy would not`);
        if (!allowed && called)
          problems.push(`${name}: cannot reach ${address}:${outsidePort}, which its configuration calls`);
      }
    }
  }

  // Nothing unlisted gets through: a pod no policy names reaches no process, and no process reaches it.
  const [anyDeployment] = deployments;
  if (anyDeployment) {
    const stranger = { ...podOf(anyDeployment), labels: { 'app.kubernetes.io/name': 'stranger' } };
    for (const deployment of deployments) {
      for (const { containerPort } of containerOf(deployment)?.ports ?? []) {
        if (policies.ingressAllows(stranger, podOf(deployment), containerPort)) {
          problems.push(
            `${deployment.metadata.name}: any pod of the namespace reaches port ${containerPort}`,
          );
        }
      }
      if (policies.egressAllows(podOf(deployment), stranger, 8080)) {
        problems.push(`${deployment.metadata.name}: reaches any pod of the namespace`);
      }
    }
  }
  return problems;
}

/** A host pattern of EGRESS_ALLOWED_HOSTS as a URL (`*` stands for any name). */
const hostUrl = (scheme: string, entry: string) => new URL(`${scheme}://${entry.replaceAll('*', 'any')}`);

/**
 * The hosts outside the cluster a process's egress policy lets it call: EGRESS_ALLOWED_HOSTS
 * entries (over http and https unless a port is given) and the LLM endpoint, from its parsed
 * configuration.
 */
export function outsideHostsOf(parsed: readonly ParsedProcess[]): Map<string, URL[]> {
  return new Map(
    parsed.map(({ process, configs }) => [
      process.name,
      // Only a process with an egress policy fetches anything (the blueprint API reads LLM_BASE_URL
      // only to know whether the `llm` generator exists).
      !('EGRESS_ALLOWED_HOSTS' in process.config.shape)
        ? []
        : configs.flatMap(({ config }) => [
            ...((config.EGRESS_ALLOWED_HOSTS as string[] | undefined) ?? []).flatMap((entry) =>
              /:\d+$/.test(entry)
                ? [hostUrl('http', entry)]
                : [hostUrl('http', entry), hostUrl('https', entry)],
            ),
            ...(typeof config.LLM_BASE_URL === 'string' ? [new URL(config.LLM_BASE_URL)] : []),
          ]),
    ]),
  );
}

export interface ParsedProcess {
  process: ProcessSpec;
  /** With and without the Secrets' optional keys. */
  configs: { withOptionalKeys: boolean; config: Record<string, unknown> }[];
}

/** Variables read by something other than the service's own config (node, the OTel SDK, the metrics endpoint). */
export const READ_ELSEWHERE = /^(NODE_|OTEL_|UV_)|^METRICS_PORT$/;

/**
 * Every process's environment, as its pod would have it, parsed with that process's own config
 * schema (with and without the Secrets' optional keys): no variable it requires is missing, no
 * value is refused, and no variable is set that nothing reads (a misspelt one is a setting lost).
 */
export function configProblems(
  objects: readonly KubeObject[],
  catalog: SecretCatalog,
  keys: IdentityKeys = generateIdentityKeys(IDENTITY_KEY_NAMES),
): { problems: string[]; parsed: ParsedProcess[] } {
  const problems: string[] = [];
  const parsed: ParsedProcess[] = [];
  for (const deployment of deploymentsOf(objects)) {
    const process = processNamed(deployment.metadata.name);
    const container = containerOf(deployment);
    if (!process || !container) continue;
    const known = new Set(Object.keys(process.config.shape));
    for (const { name } of container.env ?? []) {
      if (!known.has(name) && !READ_ELSEWHERE.test(name))
        problems.push(`${process.name}: ${name} is read by nothing`);
    }
    const configs: ParsedProcess['configs'] = [];
    for (const withOptionalKeys of [false, true]) {
      const root = mkdtempSync(join(tmpdir(), 'k8s-pod-'));
      try {
        const pod = podEnvironment(deployment, container, { catalog, keys, root, withOptionalKeys });
        const result = parseConfig(process.config, pod.env);
        const when = withOptionalKeys ? 'with' : 'without';
        problems.push(...pod.problems.map((problem) => `${process.name}: ${problem}`));
        if (result.ok) configs.push({ withOptionalKeys, config: result.config as Record<string, unknown> });
        else
          problems.push(
            ...result.problems.map((problem) => `${process.name} (${when} optional keys): ${problem}`),
          );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    parsed.push({ process, configs });
  }
  return { problems, parsed };
}
