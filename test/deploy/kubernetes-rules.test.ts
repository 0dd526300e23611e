import { generateIdentityKeys, IDENTITY_KEY_NAMES } from '@delivery/service-kit/identity';
import { type KubeObject, OVERLAYS, renderOverlay } from './kubernetes/kustomize.js';
import { indexModeProblems, migrationJobProblems } from './kubernetes/migration-rules.js';
import {
  autoscalerProblems,
  configProblems,
  disruptionBudgetProblems,
  type GatewaySettings,
  ingressProblems,
  networkProblems,
  outsideHostsOf,
  podProblems,
  processDeploymentProblems,
  queueProblems,
  serviceProblems,
} from './kubernetes/rules.js';
import { loadSecretCatalog } from './kubernetes/secret-catalog.js';

// The rendered overlays read as an SRE reviews them (test/deploy/kubernetes/rules.ts says each
// rule): every process's pods hardened, probed, sized and drained; scaled by exactly one
// autoscaler on its own signal; its environment complete for its own config schema; the network
// open for exactly the calls the configurations make. Each rule is then shown failing on a broken
// copy of the production overlay.

const catalog = loadSecretCatalog();
const keys = generateIdentityKeys(IDENTITY_KEY_NAMES);
const rendered = new Map(OVERLAYS.map((overlay) => [overlay, renderOverlay(overlay)]));
const objectsOf = (overlay: string) => rendered.get(overlay as (typeof OVERLAYS)[number]) ?? [];

/** The gateway's settings the Ingress must agree with, from its parsed configuration. */
function gatewaySettings(objects: readonly KubeObject[]): GatewaySettings {
  const gateway = configProblems(objects, catalog, keys).parsed.find(
    ({ process }) => process.name === 'gateway',
  );
  const config = gateway?.configs[0]?.config;
  if (!config) throw new Error('the gateway configuration does not parse');
  return config as unknown as GatewaySettings;
}

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const objects = objectsOf(overlay);

  test('runs every process of the system, each as one Deployment', () => {
    expect(processDeploymentProblems(objects)).toEqual([]);
  });

  test('pods: labels, pinned images, restricted security, probes, resources, drain, spread, no tokens', () => {
    expect(podProblems(objects)).toEqual([]);
  });

  test('a PodDisruptionBudget per Deployment', () => {
    expect(disruptionBudgetProblems(objects)).toEqual([]);
  });

  test('exactly one autoscaler per Deployment, on its own signal, and no replicas beside it', () => {
    expect(autoscalerProblems(objects)).toEqual([]);
  });

  test("every queue KEDA measures is one its service declares, read as that service's broker user", () => {
    expect(queueProblems(objects)).toEqual([]);
  });

  test('every API has a Service, and every in-cluster URL a process names reaches a process', () => {
    expect(serviceProblems(objects)).toEqual([]);
  });

  test("every process's environment parses with its own config schema, with and without optional keys", () => {
    const { problems, parsed } = configProblems(objects, catalog, keys);
    expect(problems).toEqual([]);
    expect(parsed.map(({ configs }) => configs.length)).toEqual(parsed.map(() => 2));
  });

  test('the Ingress streams live events and uploads to the gateway, and takes the same bodies as it', () => {
    expect(ingressProblems(objects, gatewaySettings(objects))).toEqual([]);
  });

  test('NetworkPolicies allow exactly the calls the configurations make, and the egress policy’s hosts', () => {
    const { parsed } = configProblems(objects, catalog, keys);
    expect(networkProblems(objects, outsideHostsOf(parsed))).toEqual([]);
  });

  test("a migration Job per service, of its Deployments' image, hardened like them, its environment complete", () => {
    expect(migrationJobProblems(objects, catalog, keys)).toEqual([]);
    expect(objects.filter(({ kind }) => kind === 'Job')).toHaveLength(5);
  });

  test('every Deployment requires the migrated indexes (MONGO_INDEXES=require) and builds none', () => {
    expect(indexModeProblems(objects)).toEqual([]);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: the broken copies are edited by path
type Edit = (objects: any[]) => void;
type Rule = (objects: KubeObject[]) => string[];

/** A copy of the production overlay with one thing broken. */
function broken(edit: Edit): KubeObject[] {
  const copy = structuredClone(objectsOf('production'));
  edit(copy);
  return copy;
}

// biome-ignore lint/suspicious/noExplicitAny: reaching into rendered objects
const find = (objects: any[], kind: string, name: string): any => {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!object) throw new Error(`no ${kind} ${name}`);
  return object;
};
// biome-ignore lint/suspicious/noExplicitAny: reaching into rendered objects
const container = (objects: any[], name: string) =>
  find(objects, 'Deployment', name).spec.template.spec.containers[0];
// biome-ignore lint/suspicious/noExplicitAny: reaching into rendered objects
const without = (objects: any[], kind: string, name: string) =>
  objects.splice(objects.indexOf(find(objects, kind, name)), 1);

const configRule: Rule = (objects) => configProblems(objects, catalog, keys).problems;
const networkRule: Rule = (objects) =>
  networkProblems(objects, outsideHostsOf(configProblems(objects, catalog, keys).parsed));
const ingressRule: Rule = (objects) => ingressProblems(objects, gatewaySettings(objects));
const migrationRule: Rule = (objects) => migrationJobProblems(objects, catalog, keys);
// biome-ignore lint/suspicious/noExplicitAny: reaching into rendered objects
const migrationContainer = (objects: any[], name: string) =>
  find(objects, 'Job', name).spec.template.spec.containers[0];

test.each<[string, Edit, Rule, string]>([
  [
    'a process without its Deployment',
    (objects) => without(objects, 'Deployment', 'hitl'),
    processDeploymentProblems,
    'hitl: no Deployment',
  ],
  [
    'replicas beside an autoscaler',
    (objects) => {
      find(objects, 'Deployment', 'gateway').spec.replicas = 2;
    },
    autoscalerProblems,
    'gateway: replicas 2 beside its autoscaler',
  ],
  [
    'a CPU HPA beside the ScaledObject',
    (objects) => {
      const hpa = structuredClone(find(objects, 'HorizontalPodAutoscaler', 'gateway'));
      hpa.metadata.name = 'pipeline';
      hpa.spec.scaleTargetRef.name = 'pipeline';
      objects.push(hpa);
    },
    autoscalerProblems,
    'pipeline: 1 HPAs and 1 ScaledObjects, not exactly one autoscaler',
  ],
  [
    'a queue consumer scaled on CPU alone',
    (objects) => {
      without(objects, 'ScaledObject', 'hitl');
      const hpa = structuredClone(find(objects, 'HorizontalPodAutoscaler', 'gateway'));
      hpa.metadata.name = 'hitl';
      hpa.spec.scaleTargetRef.name = 'hitl';
      objects.push(hpa);
    },
    autoscalerProblems,
    'hitl: consumes hitl.gate.evaluate but is not scaled on its backlog',
  ],
  [
    'an HPA without behavior',
    (objects) => {
      delete find(objects, 'HorizontalPodAutoscaler', 'job-runner').spec.behavior;
    },
    autoscalerProblems,
    'job-runner: no scale-up and scale-down behavior',
  ],
  [
    'a KEDA queue its service does not declare',
    (objects) => {
      find(objects, 'ScaledObject', 'job-runner-worker').spec.triggers[0].metadata.queueName =
        'job-runner.dispatched';
    },
    queueProblems,
    'job-runner-worker: KEDA measures job-runner.dispatched, which job-runner does not declare',
  ],
  [
    "KEDA reading a queue with another service's user",
    (objects) => {
      find(objects, 'TriggerAuthentication', 'rabbitmq-hitl').spec.secretTargetRef[0].name =
        'delivery-pipeline-pipeline';
    },
    queueProblems,
    'hitl: KEDA reads its queue with delivery-pipeline-pipeline/AMQP_URL, not its own broker user',
  ],
  [
    'a Deployment without a PodDisruptionBudget',
    (objects) => without(objects, 'PodDisruptionBudget', 'template-blueprint-worker'),
    disruptionBudgetProblems,
    'template-blueprint-worker: 0 PodDisruptionBudgets, not 1',
  ],
  [
    'a worker without a readiness probe',
    (objects) => {
      delete container(objects, 'job-runner-worker').readinessProbe;
    },
    podProblems,
    'job-runner-worker: no readinessProbe',
  ],
  [
    'a worker probed on a port it does not listen on',
    (objects) => {
      container(objects, 'template-blueprint-worker').livenessProbe.httpGet.port = 4002;
    },
    podProblems,
    'template-blueprint-worker: livenessProbe asks port 4002 (4002), not 9464',
  ],
  [
    'privilege escalation allowed',
    (objects) => {
      container(objects, 'pipeline').securityContext.allowPrivilegeEscalation = true;
    },
    podProblems,
    'pipeline: allowPrivilegeEscalation is not false',
  ],
  [
    'a writable root filesystem',
    (objects) => {
      container(objects, 'hitl').securityContext.readOnlyRootFilesystem = false;
    },
    podProblems,
    'hitl: the root filesystem is writable',
  ],
  [
    'a memory request below what the process holds at start',
    (objects) => {
      container(objects, 'job-runner').resources.requests.memory = '128Mi';
    },
    podProblems,
    'job-runner: memory request 128Mi is below what the process holds at start (192Mi)',
  ],
  [
    'an image by :latest',
    (objects) => {
      container(objects, 'gateway').image = 'delivery/gateway:latest';
    },
    podProblems,
    'gateway: image delivery/gateway:latest is pinned by neither a tag nor a digest',
  ],
  [
    'an API without its preStop delay',
    (objects) => {
      delete container(objects, 'gateway').lifecycle;
    },
    podProblems,
    'gateway: no preStop sleep',
  ],
  [
    'a worker killed before its drain ends',
    (objects) => {
      find(objects, 'Deployment', 'job-runner-worker').spec.template.spec.terminationGracePeriodSeconds = 30;
    },
    podProblems,
    'job-runner-worker: terminationGracePeriodSeconds 30 does not cover preStop 0 s + shutdown 40 s',
  ],
  [
    'a service account token in the pods',
    (objects) => {
      find(objects, 'ServiceAccount', 'hitl').automountServiceAccountToken = true;
    },
    podProblems,
    'hitl: ServiceAccount hitl mounts its token',
  ],
  [
    'a required variable left out',
    (objects) => {
      const gateway = container(objects, 'gateway');
      gateway.env = gateway.env.filter((variable: { name: string }) => variable.name !== 'PIPELINE_URL');
    },
    configRule,
    'gateway (without optional keys): config: PIPELINE_URL is required',
  ],
  [
    'a key file the mounts do not hold',
    (objects) => {
      const variable = container(objects, 'hitl').env.find(
        (candidate: { name: string }) => candidate.name === 'IDENTITY_PUBLIC_KEYS_FILE',
      );
      variable.value = '/var/run/identity/public-keys.json';
    },
    configRule,
    'hitl (without optional keys): config: IDENTITY_PUBLIC_KEYS_FILE is invalid: cannot read',
  ],
  [
    'a signing key that is not the process’s own',
    (objects) => {
      const variable = container(objects, 'pipeline').env.find(
        (candidate: { name: string }) => candidate.name === 'IDENTITY_SIGNING_KEY_FILE',
      );
      variable.value = '/var/run/identity/public-keys.jwks.json';
    },
    configRule,
    'pipeline (without optional keys): config: IDENTITY_SIGNING_KEY_FILE is invalid',
  ],
  [
    'a misspelt variable',
    (objects) => {
      container(objects, 'gateway').env.push({ name: 'COOKIE_SECURED', value: 'true' });
    },
    configRule,
    'gateway: COOKIE_SECURED is read by nothing',
  ],
  [
    'a URL no Service answers',
    (objects) => {
      const variable = container(objects, 'gateway').env.find(
        (candidate: { name: string }) => candidate.name === 'HITL_URL',
      );
      variable.value = 'http://hitl:4004';
    },
    serviceProblems,
    'gateway: HITL_URL names http://hitl:4004, which no Service and pod answer',
  ],
  [
    'an Ingress body limit below the upload limit',
    (objects) => {
      find(objects, 'Ingress', 'gateway').metadata.annotations[
        'nginx.ingress.kubernetes.io/proxy-body-size'
      ] = '100m';
    },
    ingressRule,
    "proxy-body-size is 104857600 bytes, the gateway's UPLOAD_MAX_BYTES 209715200",
  ],
  [
    'buffered live events',
    (objects) => {
      delete find(objects, 'Ingress', 'gateway').metadata.annotations[
        'nginx.ingress.kubernetes.io/proxy-buffering'
      ];
    },
    ingressRule,
    'responses are buffered: live events would stall',
  ],
  [
    'a call the NetworkPolicies refuse',
    (objects) => {
      const policy = find(objects, 'NetworkPolicy', 'pipeline');
      policy.spec.egress = policy.spec.egress.filter(
        (rule: { to: { podSelector: { matchLabels: Record<string, string> } }[] }) =>
          rule.to[0]?.podSelector.matchLabels['app.kubernetes.io/name'] !== 'hitl',
      );
    },
    networkRule,
    'pipeline → hitl:4003 is called, but the NetworkPolicies refuse it',
  ],
  [
    'a connection allowed that no configuration makes',
    (objects) => {
      const policy = find(objects, 'NetworkPolicy', 'hitl');
      policy.spec.ingress[0].from.push({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'job-runner-worker' } },
      });
      find(objects, 'NetworkPolicy', 'job-runner-worker').spec.egress.push({
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'hitl' } } }],
      });
    },
    networkRule,
    'job-runner-worker → hitl:4003 is allowed, but no configuration calls it',
  ],
  [
    'a worker let out to private addresses',
    (objects) => {
      find(objects, 'NetworkPolicy', 'job-runner-worker').spec.egress.push({
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
      });
    },
    networkRule,
    'job-runner-worker: may reach 10.20.0.5:80, which its egress policy would not',
  ],
  [
    'no default deny',
    (objects) => without(objects, 'NetworkPolicy', 'default-deny'),
    networkRule,
    'no default-deny NetworkPolicy',
  ],
  [
    'workers open to any pod',
    (objects) => {
      without(objects, 'NetworkPolicy', 'default-deny');
      without(objects, 'NetworkPolicy', 'allow-metrics-scrape');
    },
    networkRule,
    'job-runner-worker: any pod of the namespace reaches port 9464',
  ],
  [
    'a Deployment building its own indexes',
    (objects) => {
      const variable = container(objects, 'hitl').env.find(
        (candidate: { name: string }) => candidate.name === 'MONGO_INDEXES',
      );
      variable.value = 'build';
    },
    indexModeProblems,
    'hitl: MONGO_INDEXES is build: every replica builds indexes at start',
  ],
  [
    'a service without its migration Job',
    (objects) => without(objects, 'Job', 'pipeline-migrate'),
    indexModeProblems,
    'pipeline: no migration Job of pipeline runs before it',
  ],
  [
    'a migration Job missing',
    (objects) => without(objects, 'Job', 'job-runner-migrate'),
    migrationRule,
    'job-runner: no migration Job job-runner-migrate',
  ],
  [
    'a migration of another release than the Deployments',
    (objects) => {
      migrationContainer(objects, 'hitl-migrate').image = 'delivery/hitl:0.0.9';
    },
    migrationRule,
    "hitl-migrate: image delivery/hitl:0.0.9, not its Deployment's delivery/hitl:0.1.0",
  ],
  [
    "a migration running its image's server instead",
    (objects) => {
      delete migrationContainer(objects, 'gateway-migrate').command;
    },
    migrationRule,
    "gateway-migrate: runs its image's CMD, not node dist/migrate.js",
  ],
  [
    'a migration retried without end',
    (objects) => {
      delete find(objects, 'Job', 'template-blueprint-migrate').spec.backoffLimit;
    },
    migrationRule,
    'template-blueprint-migrate: backoffLimit undefined',
  ],
  [
    'finished migrations that block the next release',
    (objects) => {
      delete find(objects, 'Job', 'hitl-migrate').spec.ttlSecondsAfterFinished;
    },
    migrationRule,
    'hitl-migrate: no ttlSecondsAfterFinished',
  ],
  [
    'a migration running as root',
    (objects) => {
      find(objects, 'Job', 'pipeline-migrate').spec.template.spec.securityContext.runAsUser = 0;
    },
    migrationRule,
    'pipeline-migrate: does not run as 10001:10001',
  ],
  [
    'a migration without its database',
    (objects) => {
      migrationContainer(objects, 'pipeline-migrate').env = [];
    },
    migrationRule,
    'pipeline-migrate: config: MONGO_URL is required',
  ],
  [
    "a migration of another service's database",
    (objects) => {
      migrationContainer(objects, 'hitl-migrate').env[0].valueFrom.secretKeyRef.name =
        'delivery-pipeline-pipeline';
    },
    migrationRule,
    "hitl-migrate: MONGO_URL is not its service's own (delivery-pipeline-hitl)",
  ],
  [
    'a migration with a variable it does not read',
    (objects) => {
      migrationContainer(objects, 'gateway-migrate').env.push({ name: 'MONGO_INDEXES', value: 'require' });
    },
    migrationRule,
    'gateway-migrate: MONGO_INDEXES is read by nothing',
  ],
])('refuses %s', (_case, edit, rule, problem) => {
  expect(rule(objectsOf('production'))).toEqual([]);
  expect(rule(broken(edit)).join('\n')).toContain(problem);
});
