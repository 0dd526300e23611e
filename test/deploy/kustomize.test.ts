import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import {
  K8S_DIR,
  type KubeObject,
  OVERLAYS,
  renderKustomization,
  splitImage,
} from './kubernetes/kustomize.js';

// The renderer of the Kustomize subset the tests render deploy/k8s with: what each transformer
// does, what it refuses, and (where kubectl is installed, as on this project's machines) that it
// prints what `kubectl kustomize` prints for the real overlays and for a fixture using every part.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kustomize-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function files(entries: Record<string, string>): void {
  for (const [path, text] of Object.entries(entries)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A base with a namespace, a labelled Deployment and a CRD object, and an overlay over it. */
function fixture(overlayExtra = ''): void {
  files({
    'base/kustomization.yaml': `
namespace: apps
labels:
  - pairs: { app.kubernetes.io/part-of: shop }
    includeSelectors: false
    includeTemplates: true
resources: [objects.yaml]
`,
    'base/objects.yaml': `
apiVersion: v1
kind: Namespace
metadata: { name: apps }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app.kubernetes.io/name: web } }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: web } }
  template:
    metadata: { labels: { app.kubernetes.io/name: web } }
    spec:
      containers:
        - name: web
          image: shop/web
          args: [--a, --b]
          env:
            - { name: A, value: "1" }
            - { name: B, value: "2" }
            - { name: C, value: "3" }
        - name: sidecar
          image: registry.example.com:5000/shop/sidecar:1.0
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: web }
spec:
  scaleTargetRef: { name: web }
  triggers: [{ type: cpu, metadata: { value: "70" } }, { type: memory, metadata: { value: "80" } }]
`,
    'overlay/kustomization.yaml': `
resources: [../base]
images:
  - { name: shop/web, newTag: "2.0" }
  - { name: registry.example.com:5000/shop/sidecar, newName: mirror.example.com/sidecar, digest: "sha256:${'a'.repeat(64)}" }
patches:
  - path: patch.yaml
${overlayExtra}`,
    'overlay/patch.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: web
          args: [--c]
          env:
            - { name: B, value: "two" }
            - { name: D, value: "4" }
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: web }
spec:
  triggers: [{ type: cpu, metadata: { value: "50" } }]
  scaleTargetRef: { name: web, envSourceContainerName: null }
`,
  });
}

const byKind = (objects: KubeObject[], kind: string) =>
  objects.find((object) => object.kind === kind) as KubeObject;
// biome-ignore lint/suspicious/noExplicitAny: reaching into rendered objects by path
const spec = (object: KubeObject) => object.spec as any;

test('namespace goes on namespaced objects only, labels on objects and pod templates but not selectors', () => {
  fixture();
  const objects = renderKustomization(join(dir, 'overlay'));
  expect(byKind(objects, 'Namespace').metadata).toEqual({
    name: 'apps',
    labels: { 'app.kubernetes.io/part-of': 'shop' },
  });
  const deployment = byKind(objects, 'Deployment');
  expect(deployment.metadata.namespace).toBe('apps');
  expect(deployment.metadata.labels).toEqual({
    'app.kubernetes.io/name': 'web',
    'app.kubernetes.io/part-of': 'shop',
  });
  expect(spec(deployment).template.metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
  expect(spec(deployment).selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
  expect(byKind(objects, 'ScaledObject').metadata.namespace).toBe('apps');
});

test('images get their new tag, name or digest', () => {
  fixture();
  const [web, sidecar] = spec(byKind(renderKustomization(join(dir, 'overlay')), 'Deployment')).template.spec
    .containers;
  expect(web.image).toBe('shop/web:2.0');
  expect(sidecar.image).toBe(`mirror.example.com/sidecar@sha256:${'a'.repeat(64)}`);
  expect(splitImage('registry.example.com:5000/a/b')).toEqual({ name: 'registry.example.com:5000/a/b' });
});

test('a strategic merge patch merges containers and env by name, replaces other lists, deletes nulls', () => {
  fixture();
  const objects = renderKustomization(join(dir, 'overlay'));
  const [web] = spec(byKind(objects, 'Deployment')).template.spec.containers;
  expect(web.env).toEqual([
    { name: 'B', value: 'two' },
    { name: 'D', value: '4' },
    { name: 'A', value: '1' },
    { name: 'C', value: '3' },
  ]);
  expect(web.args).toEqual(['--c']);
  // A custom resource's lists have no merge key known to kustomize: replaced whole.
  expect(spec(byKind(objects, 'ScaledObject')).triggers).toEqual([
    { type: 'cpu', metadata: { value: '50' } },
  ]);
});

test.each([
  ['a field outside the subset', 'configMapGenerator: [{ name: x }]', /configMapGenerator not in the subset/],
  [
    'a patch with a target',
    '  - { path: patch.yaml, target: { kind: Deployment } }',
    /patch is \{ path \} alone/,
  ],
])('refuses %s', (_case, extra, message) => {
  fixture(extra);
  expect(() => renderKustomization(join(dir, 'overlay'))).toThrow(message);
});

test('refuses a patch of an object that is not there, and labels on selectors', () => {
  fixture();
  writeFileSync(join(dir, 'overlay/patch.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\n');
  expect(() => renderKustomization(join(dir, 'overlay'))).toThrow(/no v1 Service web to patch/);
  fixture();
  writeFileSync(
    join(dir, 'base/kustomization.yaml'),
    'resources: [objects.yaml]\nlabels: [{ pairs: { a: b }, includeSelectors: true }]\n',
  );
  expect(() => renderKustomization(join(dir, 'base'))).toThrow(/includeSelectors is not in the subset/);
});

/** `kubectl kustomize <dir>`, or undefined where kubectl is not installed. */
function kubectlKustomize(path: string): KubeObject[] | undefined {
  const result = spawnSync('kubectl', ['kustomize', path], { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
  if (result.status !== 0) throw new Error(`kubectl kustomize ${path}: ${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => document.toJS() as KubeObject);
}

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error === undefined;
const withKubectl = hasKubectl ? test : test.skip;

/** Objects by identity, as comparable JSON (kustomize sorts them by kind; we keep resource order). */
const keyed = (objects: KubeObject[]) =>
  new Map(
    objects.map((object) => [
      `${object.apiVersion} ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`,
      JSON.parse(JSON.stringify(object)),
    ]),
  );

function differences(ours: KubeObject[], theirs: KubeObject[]): string[] {
  const mine = keyed(ours);
  const kubectl = keyed(theirs);
  return [...new Set([...mine.keys(), ...kubectl.keys()])].filter(
    (key) => !isDeepStrictEqual(mine.get(key), kubectl.get(key)),
  );
}

withKubectl('renders the fixture as kubectl kustomize does', () => {
  fixture();
  const overlay = join(dir, 'overlay');
  expect(differences(renderKustomization(overlay), kubectlKustomize(overlay) ?? [])).toEqual([]);
});

withKubectl.each(OVERLAYS)('renders overlays/%s as kubectl kustomize does', (name) => {
  const overlay = join(K8S_DIR, 'overlays', name);
  const ours = renderKustomization(overlay);
  expect(ours.length).toBeGreaterThan(40);
  expect(differences(ours, kubectlKustomize(overlay) ?? [])).toEqual([]);
});
