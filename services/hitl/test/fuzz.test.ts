import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { deadLetterRoutes, hitlRoutes } from '@delivery/contracts/routes';
import { DEFAULT_TEST_ROLES, userToken } from '@delivery/testing';
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
import { client, HitlEnv, requiredGate, waitFor } from './harness.js';

// Every route, fuzzed with requests derived from its schemas; no answer may be a 5xx, and no
// refused request or read may change what is stored. FUZZ_SEED=<n> explores other inputs.
const RUNS_PER_ROUTE = 20;

// The fuzzing caller may do everything, deciding approvals included.
const FUZZER = { id: 'fuzzer', roles: [...DEFAULT_TEST_ROLES, 'qa_lead'] };

// Every route the contracts say hitl serves, its own and the dead-letter routes.
const contractRoutes = [...Object.values(hitlRoutes), ...Object.values(deadLetterRoutes)];

let env: HitlEnv;
let server: Server;
let api: string;
const projectIds: string[] = [];
const approvalIds: string[] = [];

beforeAll(async () => {
  env = await HitlEnv.create();
  ({ url: api, server } = await env.startApi());
  await client(api, FUZZER).put('/gates/config', {
    stages: { '4_test': requiredGate({ approverRoles: ['qa_lead'] }) },
  });
  for (let index = 0; index < 3; index++) {
    const projectId = `project-${randomUUID()}`;
    projectIds.push(projectId);
    await env.evaluate({ projectId, stage: '4_test' });
    const [approval] = await waitFor(async () => {
      const found = await env.approvalsOf(projectId);
      return found.length === 1 && found;
    });
    approvalIds.push(approval?._id as string);
  }
});
afterAll(() => env.close());

// Valid bodies to start mutating from, by route; method, path, query keys and body schema come
// from the route contracts, so this list is every route the app serves only if the contracts are.
const bodyExamples = (): Record<string, readonly unknown[]> => ({
  'POST /approvals/:id/approve': [{}, { comment: 'fine' }],
  'POST /approvals/:id/send-back': [{ comment: 'rework' }],
  'PUT /gates/config': [{ stages: { '3_build': requiredGate() } }],
  'PUT /projects/:projectId/gate-overrides': [{ stages: { '3_build': { required: true } } }],
  'POST /dead-letters/:queue/replay': [{ all: true }, { id: 'no-such-message' }],
});

const params = {
  id: approvalIds,
  projectId: projectIds,
  queue: ['hitl.gate.evaluate.dlq', 'hitl.project-facts.dlq'],
};

const routes = (): FuzzRoute[] => [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/metrics' },
  ...contractRoutes.map((spec) => fuzzRouteOf(spec, { params, bodyExamples: bodyExamples() })),
];

test('the examples are valid bodies of contract routes', () => {
  checkBodyExamples(contractRoutes, bodyExamples());
});

test('each route enforces exactly the roles its contract names', async () => {
  expect(await differencesInEnforcedRoles(api, contractRoutes)).toEqual([]);
});

test('the fuzzed routes are every route the app serves', () => {
  expect(routes().map(routeKey).sort()).toEqual(listRoutes(server).sort());
});

test.each(routes().map((route) => [routeKey(route), route] as const))(
  '%s: no generated request answers 5xx or changes state it should not',
  async (_key, route) => {
    const db = await env.database();
    await fuzzRoute(route, {
      server,
      fingerprint: () => databaseFingerprint(db),
      numRuns: RUNS_PER_ROUTE,
      token: userToken(FUZZER),
    });
  },
);
