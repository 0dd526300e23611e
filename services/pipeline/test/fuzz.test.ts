import type { Server } from 'node:http';
import { postJson } from '@delivery/testing';
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
  assignmentBody,
  confirmSaleBody,
  createProjectBody,
  listProjectsQuery,
  onboardingBody,
  resumeBody,
} from '../src/http/schemas.js';
import { PipelineEnv } from './harness.js';

// Every route, fuzzed with requests derived from its schemas; no answer may be a 5xx, and no
// refused request or read may change what is stored. FUZZ_SEED=<n> explores other inputs.
const RUNS_PER_ROUTE = 20;

const schemaOf = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

let env: PipelineEnv;
let server: Server;
const projectIds: string[] = [];
const templateIds: string[] = [];

beforeAll(async () => {
  env = await PipelineEnv.create();
  const templates = await env.startTemplateService();
  ({ server } = await env.startApi());
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

const routes = (): FuzzRoute[] => {
  const params = {
    id: projectIds,
    fileId: ['0123456789abcdef01234567', 'nope'],
    queue: ['pipeline.triggers.dlq'],
  };
  const body = (schema: z.ZodType, examples: unknown[]) => ({ schema: schemaOf(schema), examples });
  return [
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
    { method: 'POST', path: '/projects/:id/artifacts', params },
    { method: 'POST', path: '/projects/:id/test-reports', params },
    { method: 'GET', path: '/projects/:id/artifacts', params, query: ['kind'] },
    { method: 'GET', path: '/projects/:id/artifacts/:fileId', params },
    {
      method: 'POST',
      path: '/projects',
      body: body(createProjectBody, [{ name: 'Fuzzed', client: 'Acme', templateId: templateIds[0] }]),
    },
    { method: 'GET', path: '/projects', query: Object.keys(listProjectsQuery.shape) },
    { method: 'GET', path: '/projects/:id', params },
    { method: 'GET', path: '/projects/:id/pipeline', params },
    { method: 'GET', path: '/projects/:id/timeline', params },
    { method: 'GET', path: '/projects/:id/why', params },
    { method: 'POST', path: '/projects/:id/archive', params },
    {
      method: 'POST',
      path: '/projects/:id/sale',
      params,
      body: body(confirmSaleBody, [{}, { note: 'signed' }]),
    },
    { method: 'GET', path: '/projects/:id/onboarding', params },
    {
      method: 'PUT',
      path: '/projects/:id/onboarding',
      params,
      body: body(onboardingBody, [
        { answers: { domain: 'https://a.example' } },
        { answers: { domain: null } },
      ]),
    },
    {
      method: 'PUT',
      path: '/projects/:id/assignment',
      params,
      body: body(assignmentBody, [{ assignees: [{ id: 'u1', name: 'Una' }] }]),
    },
    { method: 'POST', path: '/projects/:id/assignment/auto', params },
    { method: 'POST', path: '/projects/:id/advance', params },
    { method: 'POST', path: '/projects/:id/resume', params, body: body(resumeBody, [{}, { input: {} }]) },
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
    await fuzzRoute(route, { server, fingerprint: () => databaseFingerprint(db), numRuns: RUNS_PER_ROUTE });
  },
);
