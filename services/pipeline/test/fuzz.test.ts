import type { Server } from 'node:http';
import { deadLetterRoutes, pipelineRoutes } from '@delivery/contracts/routes';
import { postJson } from '@delivery/testing';
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
import { PipelineEnv } from './harness.js';

// Every route, fuzzed with requests derived from its schemas; no answer may be a 5xx, and no
// refused request or read may change what is stored. FUZZ_SEED=<n> explores other inputs.
const RUNS_PER_ROUTE = 20;

// Every route the pipeline serves, as its contracts declare them.
const contracts = [...Object.values(pipelineRoutes), ...Object.values(deadLetterRoutes)];

let env: PipelineEnv;
let server: Server;
let baseUrl: string;
const projectIds: string[] = [];
const templateIds: string[] = [];

beforeAll(async () => {
  env = await PipelineEnv.create();
  const templates = await env.startTemplateService();
  ({ server, url: baseUrl } = await env.startApi());
  // A published template, so that creating a project can succeed too.
  const template = await postJson(`${templates}/api/templates`, {
    name: 'Fuzz template',
    content: { fields: [{ key: 'domain', label: 'Domain', type: 'url', required: true }] },
  });
  await postJson(`${templates}/api/templates/${template.body.id}/publish`);
  templateIds.push(template.body.id);
  projectIds.push(await env.project('First'), await env.project('Second'));
}, 120_000);
afterAll(() => env.close());

// Valid bodies to start mutating from, by route; method, path, query keys and body schema come
// from the route contracts, so this list is every route the app serves only if the contracts are.
const bodyExamples = (): Record<string, readonly unknown[]> => ({
  'POST /projects': [{ name: 'Fuzzed', client: 'Acme', templateId: templateIds[0] }],
  'POST /projects/:id/sale': [{}, { note: 'signed' }],
  'PUT /projects/:id/onboarding': [
    { answers: { domain: 'https://a.example' } },
    { answers: { domain: null } },
  ],
  'PUT /projects/:id/assignment': [{ assignees: [{ id: 'u1', name: 'Una' }] }],
  'POST /projects/:id/resume': [{}, { input: {} }],
  'POST /dead-letters/:queue/replay': [{ all: true }, { id: 'no-such-message' }],
});

const params = {
  id: projectIds,
  fileId: ['0123456789abcdef01234567', 'nope'],
  queue: ['pipeline.triggers.dlq'],
};

// Multipart uploads get no generated body: the fuzzer writes JSON, which they refuse before reading.
const routes = (): FuzzRoute[] => [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/metrics' },
  ...contracts.map((contract) => fuzzRouteOf(contract, { params, bodyExamples: bodyExamples() })),
];

test('the examples are valid bodies of contract routes', () => {
  checkBodyExamples(contracts, bodyExamples());
});

test('the fuzzed routes are every route the app serves', () => {
  expect(routes().map(routeKey).sort()).toEqual(listRoutes(server).sort());
});

test('each route enforces the roles its contract names, no more and no fewer', async () => {
  expect(await differencesInEnforcedRoles(baseUrl, contracts)).toEqual([]);
});

test.each(routes().map((route) => [routeKey(route), route] as const))(
  '%s: no generated request answers 5xx or changes state it should not',
  async (_key, route) => {
    const db = await env.database();
    await fuzzRoute(route, { server, fingerprint: () => databaseFingerprint(db), numRuns: RUNS_PER_ROUTE });
  },
);
