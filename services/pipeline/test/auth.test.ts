import { refusedCredentials } from '@delivery/testing';
import { databaseFingerprint } from '@delivery/testing/fuzz';
import { PipelineEnv } from './harness.js';

// Every route of the pipeline but the probes needs a verified identity (401 otherwise), and a
// refused request changes nothing.

let env: PipelineEnv;
let api: string;
let projectId: string;

beforeAll(async () => {
  env = await PipelineEnv.create();
  ({ url: api } = await env.startApi());
  projectId = await env.project();
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
  ['POST', '/projects', { name: 'x', client: 'y', templateId: 't' }],
  ['GET', '/projects'],
  ['GET', `/projects/${projectId}`],
  ['GET', `/projects/${projectId}/pipeline`],
  ['GET', `/projects/${projectId}/timeline`],
  ['GET', `/projects/${projectId}/why`],
  ['POST', `/projects/${projectId}/sale`, {}],
  ['GET', `/projects/${projectId}/onboarding`],
  ['PUT', `/projects/${projectId}/onboarding`, { answers: { domain: 'https://a.example' } }],
  ['PUT', `/projects/${projectId}/assignment`, { assignees: [{ id: 'u', name: 'U' }] }],
  ['POST', `/projects/${projectId}/assignment/auto`],
  ['POST', `/projects/${projectId}/advance`],
  ['POST', `/projects/${projectId}/resume`, {}],
  ['POST', `/projects/${projectId}/archive`],
  ['GET', `/projects/${projectId}/artifacts`],
  ['POST', `/projects/${projectId}/artifacts`, {}],
  ['GET', '/dead-letters'],
  ['GET', '/no-such-route'],
];

test('the probes need no token', async () => {
  expect((await send('GET', '/healthz', undefined)).status).toBe(200);
  expect((await send('GET', '/readyz', undefined)).status).toBe(200);
});

describe.each(refusedCredentials('pipeline').map((credential) => [credential.what, credential] as const))(
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
