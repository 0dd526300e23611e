import type { Server } from 'node:http';
import { deadLetterRoutes, templateBlueprintRoutes } from '@delivery/contracts/routes';
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
import { BlueprintEnv, sampleTemplate, silentLogger } from './harness.js';

// Every route, fuzzed with requests derived from its schemas; no answer may be a 5xx, and no
// refused request or read may change what is stored. FUZZ_SEED=<n> explores other inputs.
const RUNS_PER_ROUTE = 20;

let env: BlueprintEnv;
let server: Server;
let api: string;
const templateIds: string[] = [];
const runIds: string[] = [];
const queues: string[] = [];

beforeAll(async () => {
  env = await BlueprintEnv.create();
  // As the harness's startApi does, keeping the server: the route list comes from its app.
  const lifecycle = new Lifecycle({ logger: silentLogger, drainTimeoutMs: 2_000, exit: () => undefined });
  env.onClose(() => lifecycle.shutdown('test done'));
  server = await startApi(apiConfigSchema.parse(env.env()), lifecycle, silentLogger);
  api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  for (const name of ['Fuzzed draft', 'Fuzzed published']) {
    const created = await postJson(`${api}/api/templates`, sampleTemplate(name));
    expect(created.status).toBe(201);
    templateIds.push(created.body.id);
  }
  await postJson(`${api}/api/templates/${templateIds[1]}/publish`);
  const run = await postJson(`${api}/api/templates/${templateIds[0]}/blueprint/generate`);
  expect(run.status).toBe(202);
  runIds.push(run.body.id ?? run.body.runId);
  const deadLetters = await getJson(`${api}/dead-letters`);
  queues.push(...deadLetters.body.queues.map((report: { queue: string }) => report.queue));
});
afterAll(() => env.close());

const contractRoutes = [...Object.values(templateBlueprintRoutes), ...Object.values(deadLetterRoutes)];

// Valid bodies to start mutating from, by route; method, path, query keys and body schema come
// from the route contracts, so this list is every route the app serves only if the contracts are.
const bodyExamples = (): Record<string, readonly unknown[]> => {
  const update = [{ name: 'Renamed' }, { description: 'Edited' }, { content: sampleTemplate().content }];
  const generate = [{}, { generator: 'rules', force: true }];
  return {
    'POST /api/templates': [sampleTemplate('Fuzzed')],
    'PUT /api/templates/:id': update,
    'PATCH /api/templates/:id': update,
    'POST /api/templates/:id/blueprint/generate': generate,
    'POST /api/templates/:id/generate-blueprint': generate,
    'POST /dead-letters/:queue/replay': [{ all: true }, { id: 'no-such-message' }],
  };
};

const params = { id: templateIds, runId: runIds, version: ['1', '2'], queue: queues };

// Archiving goes last: an archived template refuses most of the other routes.
const ARCHIVE = 'POST /api/templates/:id/archive';

const routes = (): FuzzRoute[] => {
  const fromContracts = contractRoutes.map((spec) =>
    fuzzRouteOf(spec, { params, bodyExamples: bodyExamples() }),
  );
  return [
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
    { method: 'GET', path: '/metrics' },
    ...fromContracts.filter((route) => routeKey(route) !== ARCHIVE),
    ...fromContracts.filter((route) => routeKey(route) === ARCHIVE),
  ];
};

test('the examples are valid bodies of contract routes', () => {
  checkBodyExamples(contractRoutes, bodyExamples());
});

test('the fuzzed routes are every route the app serves', () => {
  expect(routes().map(routeKey).sort()).toEqual(listRoutes(server).sort());
});

test('every route enforces the roles its contract names, and no others', async () => {
  expect(await differencesInEnforcedRoles(api, contractRoutes)).toEqual([]);
});

test('a template nested 2,000 levels deep is refused naming the limit, and nothing is stored', async () => {
  const before = await (await env.database()).collection('templates').countDocuments();
  const deep = `${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`;
  const body = JSON.stringify(sampleTemplate('Deep')).replace(
    '"required":true',
    `"required":true,"x":${deep}`,
  );
  const response = await postJson(`${api}/api/templates`, body);
  expect(response).toMatchObject({ status: 400, body: { error: 'body_too_deep', details: { limit: 32 } } });
  expect(await (await env.database()).collection('templates').countDocuments()).toBe(before);
});

test.each(routes().map((route) => [routeKey(route), route] as const))(
  '%s: no generated request answers 5xx or changes state it should not',
  async (_key, route) => {
    const db = await env.database();
    await fuzzRoute(route, { server, fingerprint: () => databaseFingerprint(db), numRuns: RUNS_PER_ROUTE });
  },
);
