import { type JsonResponse, postJson, refusedCredentials, serviceToken, userToken } from '@delivery/testing';
import { BlueprintEnv, sampleTemplate } from './harness.js';

/**
 * Every route but the probes needs a verified identity (401 otherwise), writes need a role (403
 * otherwise), and a refused request changes no template and starts no run.
 */
let env: BlueprintEnv;
let api: string;
let templateId: string;
let runId: string;

beforeAll(async () => {
  env = await BlueprintEnv.create();
  api = await env.startApi();
  const created = await postJson(`${api}/api/templates`, sampleTemplate('Auth template'));
  expect(created.status).toBe(201);
  templateId = created.body.id;
  // No worker runs here: the run stays queued, so a refused cancel would show.
  const run = await postJson(`${api}/api/templates/${templateId}/blueprint/generate`);
  expect(run.status).toBe(202);
  runId = run.body.id;
});
afterAll(() => env.close());

async function send(
  method: string,
  path: string,
  authorization?: string,
  body?: unknown,
): Promise<JsonResponse & { challenge: string | null }> {
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

/** The stored state a refused request could have changed: templates and runs. */
async function stored() {
  const templates = await env.templates();
  const runs = await env.runs();
  return JSON.stringify({
    templates: await templates
      .find({}, { name: 1, status: 1, version: 1, content: 1 })
      .sort({ _id: 1 })
      .lean(),
    runs: await runs.find({}, { templateId: 1, status: 1 }).sort({ _id: 1 }).lean(),
  });
}

const writes = (): [string, string, unknown?][] => [
  ['POST', '/api/templates', sampleTemplate('Refused')],
  ['PUT', `/api/templates/${templateId}`, { name: 'Renamed' }],
  ['PATCH', `/api/templates/${templateId}`, { name: 'Renamed' }],
  ['POST', `/api/templates/${templateId}/publish`],
  ['POST', `/api/templates/${templateId}/archive`],
  ['POST', `/api/templates/${templateId}/blueprint/generate`, { generator: 'rules', force: true }],
  ['POST', `/api/templates/${templateId}/generate-blueprint`, { generator: 'rules', force: true }],
  ['POST', `/api/blueprint-runs/${runId}/cancel`],
  ['POST', '/dead-letters/template-blueprint.generate.dlq/replay', { all: true }],
];

const reads = (): [string, string][] => [
  ['GET', '/api/templates'],
  ['GET', `/api/templates/${templateId}`],
  ['GET', `/api/templates/${templateId}/versions/1`],
  ['GET', `/api/templates/${templateId}/blueprint/status`],
  ['GET', `/api/templates/${templateId}/blueprint/runs`],
  ['GET', `/api/templates/${templateId}/blueprint-job`],
  ['GET', `/api/blueprint-runs/${runId}`],
];

test('the probes need no token', async () => {
  expect((await send('GET', '/healthz')).status).toBe(200);
  expect((await send('GET', '/readyz')).status).toBe(200);
});

describe.each(
  refusedCredentials('template-blueprint').map((credential) => [credential.what, credential] as const),
)('401 with %s', (_what, { authorization }) => {
  test('on reads, writes, generation, dead letters and unknown routes alike, and nothing changes', async () => {
    const before = await stored();
    const requests = [...reads(), ...writes(), ['GET', '/dead-letters'], ['GET', '/nowhere']] as [
      string,
      string,
      unknown?,
    ][];
    for (const [method, path, body] of requests) {
      expect({ request: `${method} ${path}`, ...(await send(method, path, authorization, body)) }).toEqual({
        request: `${method} ${path}`,
        status: 401,
        body: { error: 'unauthenticated', message: expect.any(String) },
        challenge: 'Bearer',
      });
    }
    expect(await stored()).toEqual(before);
  });
});

test('any verified caller reads', async () => {
  const nobody = `Bearer ${userToken({ roles: [] })}`;
  for (const [method, path] of reads()) {
    expect({ request: `${method} ${path}`, status: (await send(method, path, nobody)).status }).toEqual({
      request: `${method} ${path}`,
      status: 200,
    });
  }
});

test('a caller without the role gets 403 naming the roles, and nothing changes', async () => {
  const operator = `Bearer ${userToken({ roles: ['operator'] })}`;
  const manager = `Bearer ${userToken({ roles: ['delivery_manager'] })}`;
  const before = await stored();
  const refusals: [string, string, string, unknown, string[]][] = [
    [manager, 'POST', '/api/templates', sampleTemplate('Refused'), ['admin']],
    [operator, 'PUT', `/api/templates/${templateId}`, { name: 'Renamed' }, ['admin']],
    [manager, 'PATCH', `/api/templates/${templateId}`, { name: 'Renamed' }, ['admin']],
    [manager, 'POST', `/api/templates/${templateId}/publish`, undefined, ['admin']],
    [operator, 'POST', `/api/templates/${templateId}/archive`, undefined, ['admin']],
    [
      operator,
      'POST',
      `/api/templates/${templateId}/blueprint/generate`,
      { force: true },
      ['admin', 'delivery_manager', 'service'],
    ],
    [
      operator,
      'POST',
      `/api/templates/${templateId}/generate-blueprint`,
      { force: true },
      ['admin', 'delivery_manager', 'service'],
    ],
    [manager, 'POST', `/api/blueprint-runs/${runId}/cancel`, undefined, ['admin', 'operator']],
    [manager, 'GET', '/dead-letters', undefined, ['admin', 'operator']],
  ];
  for (const [authorization, method, path, body, requiredRoles] of refusals) {
    expect({ request: `${method} ${path}`, ...(await send(method, path, authorization, body)) }).toEqual({
      request: `${method} ${path}`,
      status: 403,
      body: { error: 'forbidden', message: expect.any(String), details: { requiredRoles } },
      challenge: null,
    });
  }
  expect(await stored()).toEqual(before);
});

test('pipeline (a service) and a delivery manager may generate; an operator may cancel the run', async () => {
  const pipeline = serviceToken('pipeline', 'template-blueprint');
  const manager = userToken({ roles: ['delivery_manager'] });
  // The run is already queued: both are answered with it (200), as any repeated request is.
  for (const token of [pipeline, manager]) {
    const again = await postJson(`${api}/api/templates/${templateId}/blueprint/generate`, {}, { token });
    expect(again).toMatchObject({ status: 200, body: { id: runId } });
  }
  const operator = userToken({ roles: ['operator'] });
  const canceled = await postJson(`${api}/api/blueprint-runs/${runId}/cancel`, {}, { token: operator });
  expect(canceled).toMatchObject({ status: 200, body: { id: runId } });
  const run = await (await env.runs()).findById(runId).lean();
  expect(run?.status).toBe('canceled');
});
