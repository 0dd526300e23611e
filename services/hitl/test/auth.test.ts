import { randomUUID } from 'node:crypto';
import { authHeaders, refusedCredentials, serviceToken } from '@delivery/testing';
import { databaseFingerprint } from '@delivery/testing/fuzz';
import { HitlEnv, requiredGate, waitFor } from './harness.js';

// Every route of hitl but the probes needs a verified identity (401 otherwise, nothing changes);
// a service may read but not decide or configure.

let env: HitlEnv;
let api: string;
let approvalId: string;
const projectId = `project-${randomUUID()}`;

beforeAll(async () => {
  env = await HitlEnv.create();
  ({ url: api } = await env.startApi());
  const set = await fetch(`${api}/gates/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ stages: { '4_test': requiredGate() } }),
  });
  expect(set.status).toBe(200);
  await env.evaluate({ projectId, stage: '4_test' });
  const [approval] = await waitFor(async () => {
    const found = await env.approvalsOf(projectId);
    return found.length === 1 && found;
  });
  approvalId = approval?._id as string;
});
afterAll(() => env.close());

async function send(method: string, path: string, authorization: string | undefined, body?: unknown) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: await response.json(),
    challenge: response.headers.get('www-authenticate'),
  };
}

const requests = (): [string, string, unknown?][] => [
  ['GET', '/approvals'],
  ['GET', `/approvals/${approvalId}`],
  ['POST', `/approvals/${approvalId}/approve`, {}],
  ['POST', `/approvals/${approvalId}/send-back`, { comment: 'no' }],
  ['GET', `/projects/${projectId}/approvals`],
  ['GET', `/projects/${projectId}/audit`],
  ['GET', '/gates/config'],
  ['PUT', '/gates/config', { stages: { '0_sales': requiredGate() } }],
  ['GET', '/gates/config/audit'],
  ['GET', `/projects/${projectId}/gate-overrides`],
  ['PUT', `/projects/${projectId}/gate-overrides`, { stages: { '0_sales': { required: true } } }],
  ['GET', `/gates/resolve?projectId=${projectId}&stage=4_test`],
  ['GET', '/dead-letters'],
  ['POST', '/dead-letters/hitl.gate.evaluate.dlq/replay', { all: true }],
  ['GET', '/no-such-route'],
];

test('the probes need no token', async () => {
  expect((await send('GET', '/healthz', undefined)).status).toBe(200);
  expect((await send('GET', '/readyz', undefined)).status).toBe(200);
});

describe.each(refusedCredentials('hitl').map((credential) => [credential.what, credential] as const))(
  '401 with %s',
  (_what, { authorization }) => {
    test('on every route, and nothing changes', async () => {
      const before = await databaseFingerprint(await env.database());
      for (const [method, path, body] of requests()) {
        expect({ request: `${method} ${path}`, ...(await send(method, path, authorization, body)) }).toEqual({
          request: `${method} ${path}`,
          status: 401,
          body: { error: 'unauthenticated', message: expect.any(String) },
          challenge: 'Bearer',
        });
      }
      expect(await databaseFingerprint(await env.database())).toBe(before);
    });
  },
);

test('a service identity reads, but neither decides nor configures (403, nothing changes)', async () => {
  const pipeline = `Bearer ${serviceToken('pipeline', 'hitl')}`;
  const before = await databaseFingerprint(await env.database());
  const answers = new Map<string, number>();
  for (const [method, path, body] of requests()) {
    answers.set(`${method} ${path}`, (await send(method, path, pipeline, body)).status);
  }
  expect(Object.fromEntries(answers)).toEqual({
    'GET /approvals': 200,
    [`GET /approvals/${approvalId}`]: 200,
    [`POST /approvals/${approvalId}/approve`]: 403,
    [`POST /approvals/${approvalId}/send-back`]: 403,
    [`GET /projects/${projectId}/approvals`]: 200,
    [`GET /projects/${projectId}/audit`]: 200,
    'GET /gates/config': 200,
    'PUT /gates/config': 403,
    'GET /gates/config/audit': 200,
    [`GET /projects/${projectId}/gate-overrides`]: 200,
    [`PUT /projects/${projectId}/gate-overrides`]: 403,
    [`GET /gates/resolve?projectId=${projectId}&stage=4_test`]: 200,
    'GET /dead-letters': 403,
    'POST /dead-letters/hitl.gate.evaluate.dlq/replay': 403,
    'GET /no-such-route': 404,
  });
  expect(await databaseFingerprint(await env.database())).toBe(before);
});
