import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { DEFAULT_TEST_ROLES, userToken } from '@delivery/testing';
import {
  databaseFingerprint,
  type FuzzRoute,
  fuzzRoute,
  type JsonSchema,
  listRoutes,
  routeKey,
} from '@delivery/testing/fuzz';
import { z } from 'zod';
import {
  approveBody,
  auditQuery,
  globalConfigBody,
  inboxQuery,
  overridesBody,
  projectApprovalsQuery,
  resolveQuery,
  sendBackBody,
} from '../src/http/schemas.js';
import { client, HitlEnv, requiredGate, waitFor } from './harness.js';

// Every route, fuzzed with requests derived from its schemas; no answer may be a 5xx, and no
// refused request or read may change what is stored. FUZZ_SEED=<n> explores other inputs.
const RUNS_PER_ROUTE = 20;

const schemaOf = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

// The fuzzing caller may do everything, deciding approvals included.
const FUZZER = { id: 'fuzzer', roles: [...DEFAULT_TEST_ROLES, 'qa_lead'] };

let env: HitlEnv;
let server: Server;
const projectIds: string[] = [];
const approvalIds: string[] = [];

beforeAll(async () => {
  env = await HitlEnv.create();
  let api: string;
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

const routes = (): FuzzRoute[] => {
  const params = {
    id: approvalIds,
    projectId: projectIds,
    queue: ['hitl.gate.evaluate.dlq', 'hitl.project-facts.dlq'],
  };
  const configExample = { stages: { '3_build': requiredGate() } };
  return [
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
    { method: 'GET', path: '/approvals', query: Object.keys(inboxQuery.shape) },
    { method: 'GET', path: '/approvals/:id', params },
    {
      method: 'POST',
      path: '/approvals/:id/approve',
      params,
      body: { schema: schemaOf(approveBody), examples: [{}, { comment: 'fine' }] },
    },
    {
      method: 'POST',
      path: '/approvals/:id/send-back',
      params,
      body: { schema: schemaOf(sendBackBody), examples: [{ comment: 'rework' }] },
    },
    {
      method: 'GET',
      path: '/projects/:projectId/approvals',
      params,
      query: Object.keys(projectApprovalsQuery.shape),
    },
    { method: 'GET', path: '/projects/:projectId/audit', params, query: Object.keys(auditQuery.shape) },
    { method: 'GET', path: '/gates/config' },
    {
      method: 'PUT',
      path: '/gates/config',
      body: { schema: schemaOf(globalConfigBody), examples: [configExample] },
    },
    { method: 'GET', path: '/gates/config/audit' },
    { method: 'GET', path: '/projects/:projectId/gate-overrides', params },
    {
      method: 'PUT',
      path: '/projects/:projectId/gate-overrides',
      params,
      body: { schema: schemaOf(overridesBody), examples: [{ stages: { '3_build': { required: true } } }] },
    },
    { method: 'GET', path: '/gates/resolve', query: Object.keys(resolveQuery.shape) },
    { method: 'GET', path: '/dead-letters', query: ['limit'] },
    {
      method: 'POST',
      path: '/dead-letters/:queue/replay',
      params,
      body: { examples: [{ all: true }, { id: 'no-such-message' }] },
    },
  ];
};

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
