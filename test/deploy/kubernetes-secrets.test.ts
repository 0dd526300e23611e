import { type KubeObject, OVERLAYS, renderOverlay } from './kubernetes/kustomize.js';
import { deploymentsOf } from './kubernetes/manifests.js';
import { MIGRATIONS, PROCESSES } from './kubernetes/processes.js';
import { loadSecretCatalog } from './kubernetes/secret-catalog.js';
import {
  foreignSecretProblems,
  secretReferences,
  undescribedProblems,
  unreadProblems,
} from './kubernetes/secret-references.js';

// The Kubernetes manifests' credentials, read as rules: each service's pods read their MongoDB
// and RabbitMQ users and their private key from their service's own Secret, and nothing else but
// the public keys, so no Secret is shared between services; and every Secret or ConfigMap key any
// object reads is described in deploy/k8s/secret-catalog.yaml (what makes it, whether it may be
// left out), with nothing described that nothing reads.

const catalog = loadSecretCatalog();
const rendered = new Map(OVERLAYS.map((overlay) => [overlay, renderOverlay(overlay)]));
const production = rendered.get('production') ?? [];

test.each(OVERLAYS)('overlays/%s has a Deployment for every process', (overlay) => {
  expect(
    deploymentsOf(rendered.get(overlay) ?? [])
      .map((deployment) => deployment.metadata.name)
      .sort(),
  ).toEqual(PROCESSES.map((process) => process.name).sort());
});

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const objects = rendered.get(overlay) ?? [];

  test('every pod reads its own Secret and the public keys alone, by named keys', () => {
    expect(foreignSecretProblems(objects)).toEqual([]);
    const envFrom = deploymentsOf(objects).filter((deployment) =>
      deployment.spec.template.spec.containers.some((container) => container.envFrom !== undefined),
    );
    // envFrom would also turn the Secret's key file into a variable: only named keys are read.
    expect(envFrom).toEqual([]);
  });

  test('every Secret and ConfigMap key read is described, as optional exactly where it is read so', () => {
    expect(undescribedProblems(secretReferences(objects), catalog)).toEqual([]);
  });

  test("each pod's MongoDB and RabbitMQ users come from its own Secret", () => {
    const read = secretReferences(objects).filter(({ key }) => key === 'MONGO_URL' || key === 'AMQP_URL');
    for (const process of PROCESSES) {
      expect(
        read.filter(({ by }) => by === `Deployment ${process.name}`).map(({ name, key }) => `${name} ${key}`),
      ).toEqual([
        `delivery-pipeline-${process.service} MONGO_URL`,
        `delivery-pipeline-${process.service} AMQP_URL`,
      ]);
    }
    // A migration needs its database alone: no broker user, no keys.
    for (const migration of MIGRATIONS) {
      expect(
        secretReferences(objects)
          .filter(({ by }) => by === `Job ${migration.job}`)
          .map(({ name, key }) => `${name} ${key}`),
      ).toEqual([`delivery-pipeline-${migration.service} MONGO_URL`]);
    }
  });
});

test('everything described is read by some overlay', () => {
  const read = [...rendered.values()].flatMap((objects) => secretReferences(objects));
  expect(unreadProblems(read, catalog)).toEqual([]);
});

// biome-ignore lint/suspicious/noExplicitAny: the broken copies are edited by path
function broken(edit: (objects: any[]) => void): KubeObject[] {
  const copy = structuredClone(production);
  edit(copy);
  return copy;
}

// biome-ignore lint/suspicious/noExplicitAny: reaching into rendered objects
const envOf = (objects: any[], name: string) =>
  objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name).spec.template.spec
    .containers[0].env;

test("refuses a pod reading another service's Secret", () => {
  const objects = broken((copy) => {
    envOf(copy, 'hitl').push({
      name: 'LLM_API_KEY',
      valueFrom: { secretKeyRef: { name: 'delivery-pipeline-template-blueprint', key: 'LLM_API_KEY' } },
    });
  });
  expect(foreignSecretProblems(objects)).toEqual([
    'Deployment hitl reads secret delivery-pipeline-template-blueprint, which is not its own',
  ]);
});

test("refuses a migration Job reading another service's database", () => {
  const objects = broken((copy) => {
    const job = copy.find((object) => object.kind === 'Job' && object.metadata.name === 'hitl-migrate');
    job.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name = 'delivery-pipeline-pipeline';
  });
  expect(foreignSecretProblems(objects)).toEqual([
    'Job hitl-migrate reads secret delivery-pipeline-pipeline, which is not its own',
  ]);
});

test('refuses a key nobody described, and one read as required that may be left out', () => {
  const objects = broken((copy) => {
    envOf(copy, 'pipeline').push({
      name: 'AUTO_ASSIGN_POOL',
      valueFrom: { secretKeyRef: { name: 'delivery-pipeline-pipeline', key: 'AUTO_ASSIGN_POOL' } },
    });
    const admin = envOf(copy, 'gateway').find(
      (variable: { name: string }) => variable.name === 'ADMIN_PASSWORD',
    );
    delete admin.valueFrom.secretKeyRef.optional;
  });
  expect(undescribedProblems(secretReferences(objects), catalog)).toEqual([
    'Deployment gateway: secret delivery-pipeline-gateway key ADMIN_PASSWORD is read as required, described as optional',
    'Deployment pipeline: secret delivery-pipeline-pipeline key AUTO_ASSIGN_POOL is not described in deploy/k8s/secret-catalog.yaml',
  ]);
});

test('refuses a description nothing reads', () => {
  const stale = structuredClone(catalog);
  (stale.secrets['delivery-pipeline-hitl'] as Record<string, { about: string }>).OLD_KEY = { about: 'gone' };
  expect(unreadProblems(secretReferences(production), stale)).toContain(
    'secret delivery-pipeline-hitl OLD_KEY is described but read by nothing',
  );
});
