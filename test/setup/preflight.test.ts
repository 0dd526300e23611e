import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHROMIUM,
  dependenciesProblem,
  findMissing,
  type Probes,
  report,
  SETUP_COMMAND,
} from '../../scripts/preflight.mjs';

// `npm start` and `npm test` run the preflight first: on a machine that lacks something, they must
// stop naming it and the setup command. The machine is described by probes, nothing uninstalled.

const JAR = '/repo/packages/embedded-mongo/target/embedded-mongo.jar';

/** A machine with everything: Node 24, node_modules, a broker answering, Java, Maven, Chromium. */
function machine(overrides: Partial<Probes> = {}, without: string[] = []): Probes & { dockerAsked: number } {
  const probes = {
    env: {},
    nodeVersion: 'v24.22.3',
    commandExists: (name: string) =>
      ['java', 'mvn', 'rabbitmq-server'].includes(name) && !without.includes(name),
    fileExists: (path: string) => path === CHROMIUM && !without.includes('chromium'),
    portOpen: async () => !without.includes('broker'),
    dockerAnswers: async () => {
      probes.dockerAsked += 1;
      return false;
    },
    dependenciesProblem: () => undefined,
    embeddedStoreJar: JAR,
    dockerAsked: 0,
    ...overrides,
  };
  return probes;
}

const prerequisites = async (purpose: 'start' | 'test', probes: Probes) =>
  (await findMissing(purpose, probes)).map((missing) => missing.prerequisite);

test('a machine with everything passes, without asking Docker', async () => {
  const probes = machine();
  expect(await findMissing('test', probes)).toEqual([]);
  expect(await findMissing('start', probes)).toEqual([]);
  expect(probes.dockerAsked).toBe(0);
});

test.each([
  ['an old node', machine({ nodeVersion: 'v20.20.2' }), 'Node.js 24 or newer', 'this node is v20.20.2'],
  [
    'no npm ci',
    machine({ dependenciesProblem: () => 'node_modules is missing (npm ci has not run)' }),
    'the npm packages',
    'node_modules is missing',
  ],
  [
    'no broker and no RabbitMQ',
    machine({}, ['broker', 'rabbitmq-server']),
    'RabbitMQ',
    'nothing answers on 127.0.0.1:5672',
  ],
  ['no Java', machine({}, ['java']), 'Java 17 and Maven (for the embedded MongoDB store)', 'java not found'],
  [
    'no Maven and no built store',
    machine({}, ['mvn']),
    'Java 17 and Maven (for the embedded MongoDB store)',
    'mvn not found',
  ],
])('%s: named, with the setup command, for start and test', async (_case, probes, prerequisite, problem) => {
  for (const purpose of ['start', 'test'] as const) {
    const missing = await findMissing(purpose, probes);
    expect(missing).toEqual([
      { prerequisite, problem: expect.stringContaining(problem), fix: expect.any(String) },
    ]);
    expect(missing[0]?.fix).toContain(SETUP_COMMAND);
    const text = report(purpose, missing);
    expect(text).toContain(`npm ${purpose} cannot run here yet`);
    expect(text).toContain(prerequisite);
    expect(text).toContain(SETUP_COMMAND);
  }
});

test('Chromium is needed by npm test only', async () => {
  const probes = machine({}, ['chromium']);
  expect(await prerequisites('test', probes)).toEqual(['Chromium (for the browser tests)']);
  expect(await prerequisites('start', probes)).toEqual([]);
});

test('every missing prerequisite is named at once', async () => {
  const probes = machine({ nodeVersion: 'v18.19.0' }, [
    'broker',
    'rabbitmq-server',
    'java',
    'mvn',
    'chromium',
  ]);
  expect(await prerequisites('test', probes)).toEqual([
    'Node.js 24 or newer',
    'RabbitMQ',
    'Java 17 and Maven (for the embedded MongoDB store)',
    'Chromium (for the browser tests)',
  ]);
});

test('what stands in for a missing piece: an installed broker, AMQP_URL, MONGO_URL, a built store, Docker', async () => {
  // rabbitmq-server installed but down: the tests and npm start start it themselves.
  expect(await prerequisites('test', machine({}, ['broker']))).toEqual([]);
  const noInfrastructure = ['broker', 'rabbitmq-server', 'java', 'mvn'];
  expect(
    await prerequisites(
      'test',
      machine({ env: { AMQP_URL: 'amqp://elsewhere', MONGO_URL: 'mongodb://elsewhere' } }, noInfrastructure),
    ),
  ).toEqual([]);
  // Maven only builds the store's jar; once built, Java alone runs it.
  expect(
    await prerequisites(
      'test',
      machine({ fileExists: (path) => path === JAR || path === CHROMIUM }, ['mvn']),
    ),
  ).toEqual([]);
  const docker = machine({ dockerAnswers: async () => true }, noInfrastructure);
  expect(await prerequisites('test', docker)).toEqual([]);
});

describe('dependenciesProblem: npm ci done, and since the lock file last changed', () => {
  let root: string;
  const lock = {
    packages: {
      '': { name: 'root' },
      'node_modules/zod': { version: '4.1.0' },
      'services/web/node_modules/react': { version: '19.0.0' },
      'node_modules/@esbuild/darwin-arm64': { version: '0.25.0', optional: true },
    },
  };
  const write = (path: string, value: unknown) => writeFile(join(root, path), JSON.stringify(value));

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'preflight-'));
    await write('package-lock.json', lock);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  test('no node_modules', () => {
    expect(dependenciesProblem(root)).toBe('node_modules is missing (npm ci has not run)');
  });

  test('installed as locked (optional packages of other platforms absent)', async () => {
    await mkdir(join(root, 'node_modules'));
    const { '': _root, 'node_modules/@esbuild/darwin-arm64': _other, ...installed } = lock.packages;
    await write('node_modules/.package-lock.json', { packages: installed });
    expect(dependenciesProblem(root)).toBeUndefined();
  });

  test('the lock file changed after the install', async () => {
    await mkdir(join(root, 'node_modules'));
    await write('node_modules/.package-lock.json', {
      packages: {
        'node_modules/zod': { version: '4.0.0' },
        'services/web/node_modules/react': { version: '19.0.0' },
      },
    });
    expect(dependenciesProblem(root)).toBe(
      'node_modules does not match package-lock.json (1 package(s), e.g. zod 4.1.0 locked, 4.0.0 installed)',
    );
  });
});
