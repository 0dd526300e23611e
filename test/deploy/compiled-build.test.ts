import { execFile } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import dockerignoreModule from '@balena/dockerignore';
import { exited, startTestServer, type TestServer, waitFor } from '@delivery/testing';
import { signedInKey } from '../system/gateway-client.js';
import { junitReport, websiteTemplate, ZIP } from '../system/projects-client.js';
import { SYSTEM_ADMIN, SYSTEM_PROCESSES, SystemEnv, type SystemUrls } from '../system/system-env.js';
import {
  baseImage,
  type Copy,
  copiesOf,
  dockerfile,
  envOf,
  execForm,
  instructionsOf,
  lastOf,
  lineage,
  nextWorkdir,
  parseCopy,
  stageNamed,
} from './dockerfile.js';

// The images, proven the way they would run, without a Docker engine: `npm run build`, then each
// image laid out in a clean folder by the Dockerfile's own instructions (its production install
// run as the Dockerfile runs it, its COPY lines carried out), every process started from there
// with plain `node dist/...js` and the image's environment, one project taken from sale to
// complete through the gateway, the web app found at `/`, and every process stopped by SIGTERM.

// A CommonJS package: its function is the module, and also its `default` (which the types name).
const dockerignore = dockerignoreModule.default;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

type Target = (typeof SYSTEM_PROCESSES)[number];
/** The service whose files a process runs: job-runner-worker runs job-runner's. */
const serviceOf = (target: Target) => target.replace(/-worker$/, '');
const entryOf = (target: Target) => (target.endsWith('-worker') ? 'dist/worker.js' : 'dist/main.js');
const SERVICES = [...new Set(SYSTEM_PROCESSES.map(serviceOf))];
/** Each service's database in SystemEnv.start (`<env's database>-<this>`), which its migration builds. */
const DATABASES: Record<string, string> = {
  gateway: 'gateway',
  pipeline: 'pipeline',
  hitl: 'hitl',
  'job-runner': 'jobs',
  'template-blueprint': 'blueprints',
};
const API_PROCESSES = SYSTEM_PROCESSES.filter((target) => !target.endsWith('-worker'));

/** Packages a server never needs: none may be in an image. */
const DEVELOPMENT_ONLY = [
  'tsx',
  'typescript',
  'esbuild',
  'jest',
  'turbo',
  'vite',
  'vitest',
  'testcontainers',
  '@testcontainers/mongodb',
  'dockerode',
  'playwright-core',
  'fast-check',
  'react',
  'react-dom',
  'bullmq',
  'agenda',
  '@delivery/testing',
];

let stage: string;
/** Each target's image as a folder: the container's `/`. */
const images = new Map<Target, string>();
const sizes = new Map<Target, { nodeModules: number; app: number }>();

/** Bytes of the regular files under `dir` (symlinks not followed), 0 when it is not there. */
async function bytesUnder(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Maps a path in a stage (or the build context) to where it is on this machine. */
type StageFiles = (path: string) => string;

/**
 * A stage's file system. `build` is the repository after `npm run build`: its instructions are
 * what the repository went through (npm ci, the sources, the build). Any other stage is made in
 * a folder of its own by its instructions, in order (see carryOut).
 */
const stages = new Map<string, Promise<StageFiles>>();
function filesOf(name: string): Promise<StageFiles> {
  const made =
    stages.get(name) ??
    (name === 'build'
      ? Promise.resolve((path: string) => join(repo, relative('/app', path)))
      : carryOut(name, join(stage, 'stages', name)));
  stages.set(name, made);
  return made;
}

/** What an image only records (its configuration): no file changes. */
const METADATA = new Set(['ENV', 'USER', 'VOLUME', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'ARG']);

/**
 * Carries out a stage's instructions (its bases' first) into `root`, the stage's `/`: WORKDIR,
 * COPY (from the build context, the repository, or another stage) and RUN in the WORKDIR with
 * the stage's ENV (npm told to prefer the local cache to the registry). Anything else fails.
 */
async function carryOut(name: string, root: string): Promise<StageFiles> {
  const into: StageFiles = (path) => join(root, path);
  let workdir = '/';
  for (const { keyword, args } of instructionsOf(name)) {
    if (keyword === 'WORKDIR') {
      workdir = nextWorkdir(workdir, args);
      await mkdir(into(workdir), { recursive: true });
    } else if (keyword === 'COPY') {
      await copy(parseCopy(args, workdir), into);
    } else if (keyword === 'RUN') {
      await run('sh', ['-c', args], {
        cwd: into(workdir),
        env: { ...process.env, ...envOf(name), npm_config_prefer_offline: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      });
    } else if (!METADATA.has(keyword)) {
      throw new Error(`stage ${name}: ${keyword} is not carried out by this test`);
    }
  }
  return into;
}

/** One COPY line, as Docker does it: a folder's contents into the destination, a file into a `dir/`. */
async function copy({ from, sources, destination, workdir }: Copy, into: StageFiles): Promise<void> {
  const source: StageFiles = from === undefined ? (path) => join(repo, path) : await filesOf(from);
  const target = destination.startsWith('/') ? destination : join(workdir, destination);
  for (const path of sources) {
    const file = source(path);
    const isFile = (await lstat(file)).isFile();
    const placed = into(isFile && destination.endsWith('/') ? join(target, basename(file)) : target);
    await mkdir(dirname(placed), { recursive: true });
    await cp(file, placed, { recursive: true, verbatimSymlinks: true });
  }
}

/** A runtime target's image: its instructions carried out into an empty folder. */
async function layOut(target: Target): Promise<string> {
  const root = join(stage, 'images', target);
  if (instructionsOf(target).some(({ keyword }) => keyword === 'RUN')) {
    throw new Error(`${target}: a runtime image runs no build step here`);
  }
  await carryOut(target, root);
  return root;
}

let collector: TestServer;
let env: SystemEnv;
let urls: SystemUrls;
/** What each service's compiled migration printed, run twice before the processes started. */
const migrations = new Map<string, { code: number | null; output: string }[]>();

/** `node dist/migrate.js` in a service's image, as its Job runs it. */
async function migrate(service: string): Promise<{ code: number | null; output: string }> {
  const root = images.get(service as Target) as string;
  const child = env.spawnNode(join(root, 'app/services', service), ['dist/migrate.js'], {
    MONGO_DB: `${env.mongoDb}-${DATABASES[service]}`,
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk) => (output += chunk));
  return { code: await exited(child), output };
}

beforeAll(async () => {
  await run('npm', ['run', 'build'], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  stage = await mkdtemp(join(tmpdir(), 'delivery-images-'));
  // Two installs at a time: this machine has two cores, and other tests run beside this one.
  for (let index = 0; index < SERVICES.length; index += 2) {
    await Promise.all(SERVICES.slice(index, index + 2).map((service) => filesOf(`deps-${service}`)));
  }
  for (const target of SYSTEM_PROCESSES) {
    const root = await layOut(target);
    images.set(target, root);
    const nodeModules = await bytesUnder(join(root, 'app/node_modules'));
    sizes.set(target, { nodeModules, app: (await bytesUnder(root)) - nodeModules });
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(
    [
      'Expected image sizes (above the node base image): production node_modules + compiled app',
      ...[...sizes].map(
        ([target, size]) =>
          `  ${target.padEnd(26)} ${mb(size.nodeModules + size.app).padStart(9)}  (node_modules ${mb(size.nodeModules)}, app ${mb(size.app)})`,
      ),
    ].join('\n'),
  );

  collector = await startTestServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{}');
  });
  env = await SystemEnv.create();
  for (const [target, root] of images) env.images.set(target, join(root, 'app'));
  // As a rollout runs them: the migrations first (twice: the second must change nothing), then
  // every process with MONGO_INDEXES=require, which starts only on its migrated database.
  for (const service of SERVICES) migrations.set(service, [await migrate(service), await migrate(service)]);
  const telemetry = {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_BSP_SCHEDULE_DELAY: 200,
    MONGO_INDEXES: 'require',
  };
  urls = await env.start(
    Object.fromEntries(
      SYSTEM_PROCESSES.map((target) => {
        // The ports are the test's: these processes share one host, not a network namespace each.
        const { PORT: _port, METRICS_PORT: _metrics, ...imageEnv } = envOf(target);
        return [target, { ...imageEnv, ...telemetry }];
      }),
    ),
  );
}, 420_000);

afterAll(async () => {
  await env?.close();
  await collector?.close();
  if (stage) await rm(stage, { recursive: true, force: true });
});

describe('the Dockerfile', () => {
  it.each(SYSTEM_PROCESSES)(
    '%s: a pinned node 24 base, user 10001, its compiled entry, a health check',
    (target) => {
      const service = serviceOf(target);
      expect(baseImage(target)).toMatch(/^node:24-bookworm-slim@sha256:[0-9a-f]{64}$/);
      expect(lastOf(target, 'USER')).toBe('10001:10001');
      expect(lastOf(target, 'WORKDIR')).toBe(`/app/services/${service}`);
      expect(execForm(lastOf(target, 'CMD') ?? '')).toEqual(['node', entryOf(target)]);
      expect(lastOf(target, 'HEALTHCHECK')).toMatch(/\/readyz/);
      expect(lastOf(target, 'VOLUME')).toBe('/tmp');
      expect(envOf(target)).toMatchObject({ NODE_ENV: 'production' });
      expect(instructionsOf(target).filter(({ args }) => /\btsx\b/.test(args))).toEqual([]);
      // Only its own service's production packages and files.
      const copies = copiesOf(target);
      expect(new Set(copies.map((copy) => copy.from))).toEqual(new Set(['build', `deps-${service}`]));
      expect(
        copies.flatMap((copy) => copy.sources).filter((source) => !source.includes(`/${service}/`)),
      ).toEqual(
        target === 'gateway' ? ['/app/node_modules', '/app/services/web/dist'] : ['/app/node_modules'],
      );
    },
  );

  it('its install stage reads every workspace manifest (a new workspace must be added there)', async () => {
    const workspaces = (
      await Promise.all(
        ['packages', 'services'].map(async (dir) =>
          (await readdir(join(repo, dir))).map((name) => `${dir}/${name}/package.json`),
        ),
      )
    ).flat();
    const copied = copiesOf('manifests').flatMap((copy) => copy.sources);
    expect(copied.sort()).toEqual(['package-lock.json', 'package.json', ...workspaces].sort());
  });

  it('builds every target from the build and the production installs alone', () => {
    const names = dockerfile.stages.map((candidate) => candidate.name);
    expect(names).toEqual(expect.arrayContaining([...SYSTEM_PROCESSES, 'build']));
    expect(stageNamed('build').instructions.map(({ keyword, args }) => `${keyword} ${args}`)).toEqual(
      expect.arrayContaining(['COPY . .', 'RUN npm run build']),
    );
    for (const service of SERVICES) {
      expect(lineage(`deps-${service}`).map((candidate) => candidate.name)).toEqual([
        'manifests',
        `deps-${service}`,
      ]);
      expect(lastOf(`deps-${service}`, 'RUN')).toMatch(/npm ci --omit=dev --ignore-scripts/);
    }
  });
});

describe('the .dockerignore', () => {
  const rules = async () =>
    dockerignore().add(
      (await readFile(join(repo, '.dockerignore'), 'utf8'))
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#')),
    );

  /** Every source file the builds read, as their source maps name them (packages excepted: installed). */
  async function sourcesOfTheBuilds(): Promise<string[]> {
    const sources = new Set<string>();
    for (const dist of [...SERVICES, 'web'].map((service) => join(repo, 'services', service, 'dist'))) {
      const maps = (await readdir(dist, { recursive: true })).filter((file) => file.endsWith('.map'));
      for (const map of maps) {
        const file = join(dist, map);
        for (const source of (JSON.parse(await readFile(file, 'utf8')) as { sources: string[] }).sources) {
          const path = relative(repo, join(dirname(file), source));
          if (!path.includes('node_modules') && !path.startsWith('..')) sources.add(path);
        }
      }
    }
    return [...sources];
  }

  it('keeps in what the build reads', async () => {
    const ignore = await rules();
    const sources = await sourcesOfTheBuilds();
    expect(sources.length).toBeGreaterThan(100);
    expect(sources).toEqual(
      expect.arrayContaining(['services/gateway/src/main.ts', 'services/web/src/main.tsx']),
    );
    const build = [
      'package.json',
      'package-lock.json',
      'turbo.json',
      'tsconfig.base.json',
      'scripts/build-service.ts',
      'services/web/index.html',
      'services/web/vite.config.ts',
      'services/gateway/tsconfig.json',
      'packages/service-kit/package.json',
    ];
    expect([...sources, ...build].filter((path) => ignore.ignores(path))).toEqual([]);
  });

  it('keeps out tests, benchmarks, the Java sources and build, installs, builds and local data', async () => {
    const ignore = await rules();
    const outside = [
      '.git/HEAD',
      '.data/mongo.h2',
      '.env',
      'node_modules/express/package.json',
      'services/gateway/node_modules/x/index.js',
      'services/gateway/dist/main.js',
      'services/web/dist/index.html',
      'test/system/pipeline-flow.test.ts',
      'services/gateway/src/config.test.ts',
      'packages/service-kit/test/boot.test.ts',
      'services/job-runner/bench/jobs-bench.ts',
      'services/job-runner/src/handlers/fixtures/report.xml',
      'packages/embedded-mongo/src/main/java/delivery/embeddedmongo/H2Store.java',
      'packages/embedded-mongo/pom.xml',
      'packages/embedded-mongo/target/embedded-mongo.jar',
      '.turbo/cache/x.tar.zst',
    ];
    expect(outside.filter((path) => !ignore.ignores(path))).toEqual([]);
  });
});

describe('each image', () => {
  it.each(SYSTEM_PROCESSES)('%s holds production packages and compiled JavaScript only', async (target) => {
    const root = images.get(target) as string;
    const service = serviceOf(target);
    const installed = async (name: string) =>
      (await lstat(join(root, 'app/node_modules', name)).catch(() => undefined)) !== undefined;
    const present = [];
    for (const name of DEVELOPMENT_ONLY) if (await installed(name)) present.push(name);
    expect(present).toEqual([]);
    expect(await installed('express')).toBe(true);

    const app = join(root, 'app/services', service);
    const files = (await readdir(app, { recursive: true })).filter(
      (file) => !file.startsWith('node_modules') && (file.endsWith('.ts') || file.endsWith('.js')),
    );
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining([entryOf(target), 'dist/migrate.js']));
  });
});

test('the system from the compiled images takes a project from sale to complete through the gateway', async () => {
  const { api, key } = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);

  const template = await api('POST', '/api/templates', websiteTemplate);
  expect(template.status).toBe(201);
  const templateId = template.body.id as string;
  expect((await api('POST', `/api/templates/${templateId}/publish`)).status).toBe(200);
  const generation = await api('POST', `/api/templates/${templateId}/blueprint/generate`);
  expect(generation.status).toBe(202);
  await waitFor(
    async () => (await api('GET', `/api/blueprint-runs/${generation.body.id}`)).body.status === 'succeeded',
    30_000,
    'the blueprint run (template-blueprint worker)',
  );

  const created = await api('POST', '/api/projects', { name: 'Compiled site', client: 'Acme', templateId });
  expect(created.status).toBe(201);
  const projectId = created.body.id as string;
  const path = (rest = '') => `/api/projects/${projectId}${rest}`;
  const until = (stageName: string, status: string) =>
    waitFor(
      async () => {
        const view = (await api('GET', path('/pipeline'))).body;
        return view.currentStage === stageName && view.stageStatus === status && view;
      },
      60_000,
      `${stageName} ${status}`,
      200,
    );
  const upload = async (kind: 'artifacts' | 'test-reports', bytes: Buffer, name: string, type: string) => {
    const form = new FormData();
    if (kind === 'artifacts') form.append('name', name);
    form.append('file', new Blob([bytes], { type }), name);
    const response = await fetch(`${urls.gateway}${path(`/${kind}`)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    return response.status;
  };

  await until('0_sales', 'blocked');
  expect((await api('POST', path('/sale'), { note: 'signed' })).status).toBe(200);
  await until('1_onboarding', 'blocked');
  const answers = { answers: { domain: 'https://acme.example', pages: 5 } };
  expect((await api('PUT', path('/onboarding'), answers)).status).toBe(200);
  await until('2_assignment', 'blocked');
  expect((await api('POST', path('/assignment/auto'))).status).toBe(200);
  await until('3_build', 'blocked');
  // The build job: the job-runner worker reads the upload and the blueprint with its service token.
  expect(await upload('artifacts', ZIP, 'site.zip', 'application/zip')).toBe(201);
  await until('4_test', 'blocked');
  expect(await upload('test-reports', junitReport(), 'TEST-orders.xml', 'application/xml')).toBe(201);
  await until('5_defect_validation', 'needs_human');
  const defects = (await api('GET', path())).body.outputs['4_test'].defects as { fingerprint: string }[];
  expect(defects.length).toBeGreaterThan(0);
  const decisions = Object.fromEntries(defects.map((defect) => [defect.fingerprint, 'confirmed']));
  expect((await api('POST', path('/resume'), { input: { decisions } })).status).toBe(200);
  const done = await until('6_complete', 'succeeded');
  expect(done.status).toBe('completed');

  // Every API answers through the gateway (hitl's gates, job-runner's jobs).
  expect((await api('GET', '/api/gates/config')).status).toBe(200);
  const jobs = await api('GET', `/api/jobs?projectId=${projectId}&limit=50`);
  expect(jobs.body.items.map((job: { stage: string }) => job.stage).sort()).toEqual([
    '3_build',
    '4_test',
    '5_defect_validation',
  ]);
}, 240_000);

test('each compiled migration built its indexes once, then changed nothing; the processes started requiring them', () => {
  for (const service of SERVICES) {
    const [first, second] = migrations.get(service) ?? [];
    expect({ service, code: first?.code, output: first?.output }).toEqual({
      service,
      code: 0,
      output: expect.stringMatching(
        /: built [1-9]\d* indexes, dropped 0; recorded [0-9a-f]{12} \(was none\)/,
      ),
    });
    expect({ service, code: second?.code, output: second?.output }).toEqual({
      service,
      code: 0,
      output: expect.stringMatching(/: indexes already this code's \([0-9a-f]{12}\), nothing changed\n$/),
    });
  }
});

test('the gateway serves the web app at / from its image', async () => {
  const page = await fetch(`${urls.gateway}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  const html = await page.text();
  expect(html).toContain('<div id="root"></div>');
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const asset = await fetch(`${urls.gateway}${script}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('content-type')).toMatch(/javascript/);
});

test('telemetry starts before express and mongoose load in the bundles: every process traces them', async () => {
  interface Export {
    resourceSpans: {
      resource: { attributes: { key: string; value: { stringValue?: string } }[] };
      scopeSpans: { scope: { name: string } }[];
    }[];
  }
  const scopesBy = () => {
    const scopes = new Map<string, Set<string>>();
    for (const request of collector.requests.filter((candidate) => candidate.path === '/v1/traces')) {
      for (const { resource, scopeSpans } of (JSON.parse(request.body) as Export).resourceSpans) {
        const name = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value
          .stringValue;
        const seen = scopes.get(name ?? '?') ?? new Set<string>();
        for (const { scope } of scopeSpans) seen.add(scope.name);
        scopes.set(name ?? '?', seen);
      }
    }
    return scopes;
  };
  const expected = (target: Target) => [
    '@opentelemetry/instrumentation-mongoose',
    ...(API_PROCESSES.includes(target) ? ['@opentelemetry/instrumentation-express'] : []),
  ];
  const missing = () =>
    SYSTEM_PROCESSES.flatMap((target) =>
      expected(target)
        .filter((scope) => !scopesBy().get(target)?.has(scope))
        .map((scope) => `${target}: ${scope}`),
    );
  await waitFor(async () => missing().length === 0, 15_000, 'spans of every process').catch(() => undefined);
  expect(missing()).toEqual([]);
});

test('SIGTERM stops every process cleanly, none left running', async () => {
  const stopped = await Promise.all(
    [...env.processes].map(async ([name, child]) => {
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited(child),
        new Promise<string>((resolve) =>
          setTimeout(() => resolve('still running after 45 s'), 45_000).unref(),
        ),
      ]);
      return [name, code] as const;
    }),
  );
  expect(Object.fromEntries(stopped)).toEqual(Object.fromEntries(SYSTEM_PROCESSES.map((name) => [name, 0])));
  expect(
    [...env.processes.values()].filter((child) => child.exitCode === null && child.signalCode === null),
  ).toEqual([]);
}, 60_000);
