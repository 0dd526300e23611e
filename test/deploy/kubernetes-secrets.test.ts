import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

// The Kubernetes manifests' credentials, read as rules: each service's pods read their MongoDB
// and RabbitMQ users and their private key from their service's own Secret, and nothing else
// but the public keys, so no Secret is shared between services.

const deployDir = fileURLToPath(new URL('../../deploy', import.meta.url));

interface Container {
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: unknown[];
}
interface Volume {
  secret?: { secretName: string };
  configMap?: { name: string };
  projected?: { sources: { secret?: { name: string }; configMap?: { name: string } }[] };
}
interface Deployment {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { containers: Container[]; volumes?: Volume[] } } };
}

const manifests = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return manifests(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });

const deployments = manifests(deployDir)
  .flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS()))
  .filter((document): document is Deployment => document?.kind === 'Deployment');

/** The service a Deployment runs: services/<service>/src/… in its ENTRY. */
function serviceOf(deployment: Deployment): string {
  const entry = deployment.spec.template.spec.containers
    .flatMap((container) => container.env ?? [])
    .find((variable) => variable.name === 'ENTRY') as { value?: string } | undefined;
  return /^services\/([^/]+)\//.exec(entry?.value ?? '')?.[1] ?? '?';
}

test('every process has a Deployment', () => {
  expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([
    'gateway',
    'hitl',
    'job-runner',
    'job-runner-worker',
    'pipeline',
    'template-blueprint',
    'template-blueprint-worker',
  ]);
});

test.each(deployments.map((deployment) => [deployment.metadata.name, deployment] as const))(
  '%s reads its own Secret and the public keys alone',
  (_name, deployment) => {
    const ownSecret = `delivery-pipeline-${serviceOf(deployment)}`;
    const { containers, volumes = [] } = deployment.spec.template.spec;
    for (const container of containers) {
      // envFrom would also turn the Secret's key file into a variable: only named keys are read.
      expect(container.envFrom).toBeUndefined();
      const fromSecrets = (container.env ?? []).flatMap((variable) =>
        variable.valueFrom?.secretKeyRef
          ? [{ variable: variable.name, ...variable.valueFrom.secretKeyRef }]
          : [],
      );
      for (const variable of ['MONGO_URL', 'AMQP_URL']) {
        expect(fromSecrets).toContainEqual({ variable, name: ownSecret, key: variable });
      }
      expect(fromSecrets.filter((reference) => reference.name !== ownSecret)).toEqual([]);
    }
    const sources = volumes.flatMap((volume) => [
      ...(volume.secret ? [{ secret: volume.secret.secretName }] : []),
      ...(volume.configMap ? [{ configMap: volume.configMap.name }] : []),
      ...(volume.projected?.sources ?? []).map((source) =>
        source.secret ? { secret: source.secret.name } : { configMap: source.configMap?.name },
      ),
    ]);
    for (const source of sources) {
      expect([{ secret: ownSecret }, { configMap: 'delivery-pipeline-public-keys' }]).toContainEqual(source);
    }
  },
);
