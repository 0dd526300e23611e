import type { Server } from 'node:http';
import { deadLetterRoutes, jobRunnerRoutes } from '@delivery/contracts/routes';
import { Lifecycle } from '@delivery/service-kit';
import { getJson, postJson } from '@delivery/testing';
import {
  checkBodyExamples,
  databaseFingerprint,
  differencesInEnforcedRoles,
  type FuzzRoute,
  fuzzRoute,
  fuzzRouteOf,
  listRoutes,
  routeKey,
} from '@delivery/testing/fuzz';
import { startApi } from '../src/api.js';
import { apiConfigSchema } from '../src/config.js';
import { JobRunnerEnv, silentLogger } from './harness.js';

// Every route, fuzzed with requests derived from its schemas; no answer may be a 5xx, and no
// refused request or read may change what is stored. FUZZ_SEED=<n> explores other inputs.
const RUNS_PER_ROUTE = 30;

const enqueueExamples = [
  {
    projectId: 'p-1',
    stage: '3_build',
    kind: 'noop',
    idempotencyKey: 'fuzz-noop',
    runAt: '2100-01-01T00:00:00Z',
  },
  {
    projectId: 'p-2',
    stage: '4_test',
    kind: 'test',
    idempotencyKey: 'fuzz-test',
    payload: { reports: [{ name: 'junit.xml', xml: '<testsuite tests="1"/>' }] },
    maxAttempts: 3,
    priority: 10,
  },
  {
    projectId: 'p-3',
    stage: '3_build',
    kind: 'http',
    idempotencyKey: 'fuzz-http',
    payload: { url: 'https://example.com/hook', method: 'POST', headers: { authorization: 'Bearer t' } },
  },
];

let env: JobRunnerEnv;
let server: Server;
const jobIds: string[] = [];
const queues: string[] = [];

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  // As the harness's startApi does, keeping the server: the route list comes from its app.
  const lifecycle = new Lifecycle({ logger: silentLogger, drainTimeoutMs: 2_000, exit: () => undefined });
  env.onClose(() => lifecycle.shutdown('test done'));
  server = await startApi(apiConfigSchema.parse(env.env()), lifecycle, silentLogger);
  const { port } = server.address() as { port: number };
  for (const [index, example] of enqueueExamples.entries()) {
    const seeded = await postJson(`http://127.0.0.1:${port}/jobs`, {
      ...example,
      idempotencyKey: `seed-${index}`,
    });
    if (seeded.body.id) jobIds.push(seeded.body.id);
  }
  expect(jobIds.length).toBeGreaterThan(0);
  const deadLetters = await getJson(`http://127.0.0.1:${port}/dead-letters`);
  queues.push(...deadLetters.body.queues.map((report: { queue: string }) => report.queue));
});
afterAll(() => env.close());

const contractRoutes = [...Object.values(jobRunnerRoutes), ...Object.values(deadLetterRoutes)];

// Valid bodies to start mutating from, by route; method, path, query keys and body schema come
// from the route contracts, so this list is every route the app serves only if the contracts are.
const bodyExamples = (): Record<string, readonly unknown[]> => ({
  'POST /jobs': enqueueExamples,
  'POST /jobs/:id/resume': [{ input: {} }, { input: { decisions: { 'defect-1': 'confirmed' } } }],
  'POST /dead-letters/:queue/replay': [{ all: true }, { id: 'no-such-message' }],
});

const params = { id: jobIds, queue: queues };

const routes = (): FuzzRoute[] => [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/metrics' },
  ...contractRoutes.map((spec) => fuzzRouteOf(spec, { params, bodyExamples: bodyExamples() })),
];

test('the examples are valid bodies of contract routes', () => {
  checkBodyExamples(contractRoutes, bodyExamples());
});

test('the fuzzed routes are every route the app serves', () => {
  expect(routes().map(routeKey).sort()).toEqual(listRoutes(server).sort());
});

test('every route enforces the roles its contract names, and no others', async () => {
  const { port } = server.address() as { port: number };
  expect(await differencesInEnforcedRoles(`http://127.0.0.1:${port}`, contractRoutes)).toEqual([]);
});

test('a job payload nested 400 or 2,000 levels is refused naming the limit, and nothing is stored', async () => {
  const jobs = await env.jobs();
  const before = await jobs.countDocuments();
  const { port } = server.address() as { port: number };
  for (const levels of [400, 2_000]) {
    const payload = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const body = `{"projectId":"p","stage":"3_build","kind":"noop","idempotencyKey":"deep-${levels}","payload":${payload}}`;
    const response = await postJson(`http://127.0.0.1:${port}/jobs`, body);
    expect(response).toMatchObject({ status: 400, body: { error: 'body_too_deep', details: { limit: 32 } } });
  }
  expect(await jobs.countDocuments()).toBe(before);
  expect((await getJson(`http://127.0.0.1:${port}/jobs?limit=1`)).status).toBe(200);
});

test.each(routes().map((route) => [routeKey(route), route] as const))(
  '%s: no generated request answers 5xx or changes state it should not',
  async (_key, route) => {
    const db = await env.database();
    await fuzzRoute(route, { server, fingerprint: () => databaseFingerprint(db), numRuns: RUNS_PER_ROUTE });
  },
);
