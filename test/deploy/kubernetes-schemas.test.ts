import { type KubeObject, OVERLAYS, renderOverlay } from './kubernetes/kustomize.js';
import { schemaProblems } from './kubernetes/schemas.js';

// Every object of every overlay against its kind's schema (Kubernetes' and KEDA's, from
// kubernetes-models), with fields no schema declares refused.

const rendered = new Map(OVERLAYS.map((overlay) => [overlay, renderOverlay(overlay)]));

test.each(OVERLAYS)(
  'every object of overlays/%s is valid by its schema, with no unknown field',
  (overlay) => {
    const objects = rendered.get(overlay) ?? [];
    expect(objects.length).toBeGreaterThan(40);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  },
);

// biome-ignore lint/suspicious/noExplicitAny: the broken copies are edited by path
type Edit = (object: any) => void;

function broken(kind: string, name: string, edit: Edit): KubeObject {
  const object = (rendered.get('production') ?? []).find(
    (candidate) => candidate.kind === kind && candidate.metadata.name === name,
  );
  if (!object) throw new Error(`no ${kind} ${name}`);
  const copy = structuredClone(object);
  edit(copy);
  return copy;
}

test.each<[string, KubeObject, RegExp]>([
  [
    'a misspelt container field',
    broken('Deployment', 'gateway', (d) => {
      d.spec.template.spec.containers[0].readinessProbes = d.spec.template.spec.containers[0].readinessProbe;
    }),
    /containers\/0\/readinessProbes is not a field of Deployment/,
  ],
  [
    'a misspelt security setting',
    broken('Deployment', 'hitl', (d) => {
      d.spec.template.spec.securityContext.runAsNonroot = true;
    }),
    /securityContext\/runAsNonroot is not a field/,
  ],
  [
    'a user given by name',
    broken('Deployment', 'hitl', (d) => {
      d.spec.template.spec.securityContext.runAsUser = 'node';
    }),
    /runAsUser must be integer/,
  ],
  [
    "an HPA field of the wrong API version (v1's targetCPUUtilizationPercentage)",
    broken('HorizontalPodAutoscaler', 'gateway', (h) => {
      h.spec.targetCPUUtilizationPercentage = 70;
    }),
    /spec\/targetCPUUtilizationPercentage is not a field of HorizontalPodAutoscaler/,
  ],
  [
    "an HPA's field in a ScaledObject",
    broken('ScaledObject', 'job-runner-worker', (s) => {
      s.spec.minReplicas = 1;
    }),
    /spec\/minReplicas is not a field of ScaledObject/,
  ],
  [
    'a ScaledObject without triggers',
    broken('ScaledObject', 'job-runner-worker', (s) => {
      delete s.spec.triggers;
    }),
    /spec must have required property triggers/,
  ],
  [
    'a misspelt Job field',
    broken('Job', 'hitl-migrate', (j) => {
      j.spec.ttlSecondsAfterFinish = 3600;
    }),
    /spec\/ttlSecondsAfterFinish is not a field of Job/,
  ],
  [
    'a kind without a schema here',
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray' } },
    /no schema for v1 Pod/,
  ],
])('refuses %s', (_case, object, problem) => {
  expect(schemaProblems(object).join('\n')).toMatch(problem);
});

test('takes maps as maps: labels and a KEDA trigger’s metadata may hold any key', () => {
  const scaled = broken('ScaledObject', 'pipeline', (s) => {
    s.metadata.labels['example.com/anything'] = 'x';
    s.spec.triggers[0].metadata.activationValue = '5';
  });
  expect(schemaProblems(scaled)).toEqual([]);
});
