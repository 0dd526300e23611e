import { authHeaders, SseClient, waitFor } from '@delivery/testing';
import { BrowserSession, invitedPerson, keyClient, signedInKey } from './gateway-client.js';
import { websiteTemplate } from './projects-client.js';
import { SYSTEM_ADMIN, SystemEnv, type SystemUrls } from './system-env.js';

// The gateway in front of the whole system, every service its own process: people sign in (or
// scripts use keys), the gateway forwards /api/... with a signed identity, and a service that
// goes down takes only its own routes with it.

let env: SystemEnv;
let urls: SystemUrls;
let admin: BrowserSession;

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start({
    // A body limit below the services' own, so that a 413 here can only be the gateway's.
    gateway: {
      LOGIN_FREE_FAILURES: 2,
      LOGIN_DELAY_BASE_MS: 600_000,
      // Sign-ins from several addresses, told apart by X-Forwarded-For from loopback.
      TRUST_PROXY: 'loopback',
      HTTP_BODY_MAX_BYTES: 65_536,
    },
  });
  admin = new BrowserSession(urls.gateway);
  expect((await admin.login(SYSTEM_ADMIN.email, SYSTEM_ADMIN.password)).status).toBe(200);
}, 120_000);
afterAll(() => env.close());

const PASSWORD = 'a long enough password';

test('sign-in sets an httpOnly SameSite cookie; changes need the CSRF token; sign-out ends the session everywhere', async () => {
  const browser = new BrowserSession(urls.gateway);
  expect((await browser.login(SYSTEM_ADMIN.email, 'wrong password')).status).toBe(401);
  const login = await browser.login(SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  expect(login.status).toBe(200);
  expect(login.body).toMatchObject({
    user: { email: SYSTEM_ADMIN.email, roles: ['admin'] },
    csrfToken: expect.any(String),
  });
  expect(login.headers.get('set-cookie')).toMatch(/^sid=[\w-]+;.*HttpOnly/i);
  expect(login.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);

  expect((await browser.request('GET', '/api/auth/session')).body).toMatchObject({
    via: 'session',
    roles: ['admin'],
  });
  // The cookie alone (what a cross-site form would send) changes nothing.
  const forged = await browser.request('POST', '/api/keys', { name: 'forged' }, { csrf: false });
  expect(forged.status).toBe(403);
  expect(forged.body.details).toEqual({ reason: 'csrf_token_missing_or_wrong' });
  expect(
    (await browser.request('GET', '/api/keys')).body.items.map((key: { name: string }) => key.name),
  ).not.toContain('forged');

  // A live-event stream of this session ends with it.
  const stream = await SseClient.open(urls.gateway, '', { cookie: browser.cookie as string });
  await stream.until((frame) => frame.event === 'ready', 'the stream to open');

  expect((await browser.request('POST', '/api/auth/logout')).status).toBe(204);
  expect(await stream.ended).toBe('done');
  expect((await browser.request('GET', '/api/auth/session')).status).toBe(401);
  expect((await browser.request('GET', '/api/projects')).status).toBe(401);
  const audit = await admin.request('GET', `/api/audit?actorId=${login.body.user.id}`);
  expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(
    expect.arrayContaining(['login_succeeded', 'logout']),
  );
});

test('admins invite, change roles and deactivate; a deactivated person’s sessions and keys stop at once; all audited', async () => {
  const person = await invitedPerson(admin, 'dana@example.com', ['viewer'], PASSWORD);
  const { session, api } = await signedInKey(urls.gateway, 'dana@example.com', PASSWORD);
  expect((await api('GET', '/api/auth/session')).body.roles).toEqual(['viewer']);

  const promoted = await admin.request('PATCH', `/api/users/${person.id}`, {
    roles: ['delivery_manager', 'viewer'],
  });
  expect(promoted.body.roles).toEqual(['delivery_manager', 'viewer']);
  // The session sees the new roles at once; the key keeps only what it was made with.
  expect((await session.request('GET', '/api/auth/session')).body.roles).toEqual([
    'delivery_manager',
    'viewer',
  ]);
  expect((await api('GET', '/api/auth/session')).body.roles).toEqual(['viewer']);

  // Not an admin: cannot touch accounts.
  expect((await session.request('GET', '/api/users')).status).toBe(403);
  expect((await admin.request('PATCH', `/api/users/${person.id}`, { roles: ['service'] })).status).toBe(400);

  expect((await admin.request('PATCH', `/api/users/${person.id}`, { active: false })).body.active).toBe(
    false,
  );
  expect((await session.request('GET', '/api/auth/session')).status).toBe(401);
  expect((await api('GET', '/api/projects')).status).toBe(401);
  expect((await new BrowserSession(urls.gateway).login('dana@example.com', PASSWORD)).status).toBe(401);

  const me = (await admin.request('GET', '/api/auth/session')).body.user.id;
  expect((await admin.request('PATCH', `/api/users/${me}`, { active: false })).status).toBe(409);
  const audit = await admin.request('GET', `/api/audit?action=user_updated`);
  expect(
    audit.body.items.filter((entry: { target: { id: string } }) => entry.target.id === person.id),
  ).toEqual([
    expect.objectContaining({
      details: { before: { active: true }, after: { active: false }, revokedKeys: 1 },
    }),
    expect.objectContaining({
      details: { before: { roles: ['viewer'] }, after: { roles: ['delivery_manager', 'viewer'] } },
    }),
  ]);
});

test('security headers on every answer; no CORS unless origins are configured; bodies are bounded', async () => {
  const answer = await fetch(`${urls.gateway}/api/openapi.json`, {
    headers: { origin: 'https://evil.example' },
  });
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  expect(answer.headers.get('x-correlation-id')).toEqual(expect.any(String));

  const { api, key } = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  const huge = await fetch(`${urls.gateway}/api/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'x'.repeat(100_000), client: 'y', templateId: 'z' }),
  });
  expect(huge.status).toBe(413);
  expect(await huge.json()).toMatchObject({ error: 'payload_too_large', limitBytes: 65_536 });
  expect((await api('GET', '/api/projects?search=x')).status).toBe(200);

  // Ids pass through: the service behind answers with the caller's correlation id.
  const traced = await fetch(`${urls.gateway}/api/projects`, {
    headers: {
      authorization: `Bearer ${key}`,
      'x-correlation-id': 'corr-from-client',
      'x-request-id': 'req-1',
    },
  });
  expect(traced.headers.get('x-correlation-id')).toBe('corr-from-client');
  expect(traced.headers.get('x-request-id')).toBe('req-1');
});

test('wrong passwords slow down their address only, never lock the account; an admin clears the wait', async () => {
  const person = await invitedPerson(admin, 'locky@example.com', ['viewer'], PASSWORD);
  const from = (address: string, password: string) =>
    fetch(`${urls.gateway}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ email: 'locky@example.com', password }),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));
  const wrong = [];
  for (let attempt = 0; attempt < 3; attempt++) wrong.push(await from('10.9.0.1', 'not the password'));
  // The address that guessed waits, and is told nothing more than a wrong password would be.
  const waiting = await from('10.9.0.1', PASSWORD);
  expect(waiting).toEqual(wrong[0]);
  expect(waiting).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
  expect((await from('10.9.0.2', PASSWORD)).status).toBe(200);

  expect((await admin.request('POST', `/api/users/${person.id}/unlock`)).status).toBe(200);
  expect((await from('10.9.0.1', PASSWORD)).status).toBe(200);
  const audit = await admin.request('GET', '/api/audit?action=login_failed&actorId=locky@example.com');
  expect(audit.body.items.map((entry: { details: { reason: string } }) => entry.details.reason)).toEqual([
    'throttled',
    'wrong_password',
    'wrong_password',
    'wrong_password',
  ]);
});

test('API keys: shown once, listed with last use, a subset of the owner’s roles, revoked at once', async () => {
  await invitedPerson(admin, 'kim@example.com', ['delivery_manager', 'viewer'], PASSWORD);
  const { session, key, api } = await signedInKey(urls.gateway, 'kim@example.com', PASSWORD, ['viewer']);
  expect(key).toMatch(/^dk_/);
  expect((await api('GET', '/api/projects')).status).toBe(200);
  expect((await api('GET', '/api/auth/session')).body).toMatchObject({ via: 'api_key', roles: ['viewer'] });
  // The right shape and id, a wrong secret.
  const forged = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
  expect((await keyClient(urls.gateway, forged)('GET', '/api/projects')).status).toBe(401);
  // A viewer key cannot do what its owner could: creating a project needs delivery_manager.
  expect((await api('POST', '/api/projects', { name: 'x', client: 'y', templateId: 'z' })).status).toBe(403);

  const listed = await session.request('GET', '/api/keys');
  expect(listed.body.items).toEqual([
    expect.objectContaining({
      name: 'kim@example.com test key',
      roles: ['viewer'],
      lastUsedAt: expect.any(String),
      revokedAt: null,
    }),
  ]);
  // The secret (after `dk_<16-char id>_`; it may itself contain `_`) is never listed.
  expect(JSON.stringify(listed.body)).not.toContain(key.slice('dk_'.length + 17));
  expect((await session.request('POST', '/api/keys', { name: 'too much', roles: ['admin'] })).status).toBe(
    403,
  );
  // A key cannot make keys.
  expect((await api('POST', '/api/keys', { name: 'child' })).status).toBe(403);

  const keyId = listed.body.items[0].id;
  const stream = await SseClient.open(urls.gateway, '', { authorization: `Bearer ${key}` });
  await stream.until((frame) => frame.event === 'ready', 'the key’s stream to open');
  expect((await session.request('DELETE', `/api/keys/${keyId}`)).body.revokedAt).toEqual(expect.any(String));
  // Revoked at once: its open stream too.
  expect(await stream.ended).toBe('done');
  expect((await api('GET', '/api/projects')).status).toBe(401);
});

test('roles through the gateway: a viewer cannot approve; an approver approves the gate and the project moves on', async () => {
  const { api: manager } = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  await invitedPerson(admin, 'quinn@example.com', ['qa_lead'], PASSWORD);
  await invitedPerson(admin, 'vera@example.com', ['viewer'], PASSWORD);
  const { api: approver } = await signedInKey(urls.gateway, 'quinn@example.com', PASSWORD);
  const { api: viewer } = await signedInKey(urls.gateway, 'vera@example.com', PASSWORD);

  const gate = {
    required: true,
    point: 'before',
    approverRoles: ['qa_lead'],
    approvalsNeeded: 1,
    expiresAfterMinutes: 60,
    allowSelfApproval: false,
  };
  expect((await manager('PUT', '/api/gates/config', { stages: { '2_assignment': gate } })).status).toBe(200);
  const templateId = await publishedTemplate(manager);
  const project = await manager('POST', '/api/projects', {
    name: 'Gated via gateway',
    client: 'Acme',
    templateId,
  });
  expect(project.status).toBe(201);
  const id = project.body.id as string;
  expect((await manager('POST', `/api/projects/${id}/sale`, {})).status).toBe(200);
  expect(
    (
      await manager('PUT', `/api/projects/${id}/onboarding`, {
        answers: { domain: 'https://a.example', pages: 2 },
      })
    ).status,
  ).toBe(200);
  expect(
    (await manager('PUT', `/api/projects/${id}/assignment`, { assignees: [{ id: 'dev-1', name: 'Devi' }] }))
      .status,
  ).toBe(200);
  const approvalId = await waitFor(
    async () =>
      (await manager('GET', `/api/projects/${id}/pipeline`)).body.stages['2_assignment'].approvalId as
        | string
        | null,
    30_000,
    'the assignment approval',
  );
  const inbox = await approver('GET', '/api/approvals');
  expect(inbox.body.items.map((item: { id: string }) => item.id)).toContain(approvalId);

  expect((await viewer('POST', `/api/approvals/${approvalId}/approve`, {})).status).toBe(403);
  const approved = await approver('POST', `/api/approvals/${approvalId}/approve`, { comment: 'fine' });
  expect(approved.status).toBe(200);
  // hitl recorded the person the gateway vouched for.
  expect(JSON.stringify(approved.body)).toContain('quinn');
  await waitFor(
    async () => (await manager('GET', `/api/projects/${id}/pipeline`)).body.currentStage === '3_build',
    30_000,
    'the project past the gate',
  );
  expect((await manager('PUT', '/api/gates/config', { stages: {} })).status).toBe(200);
});

test('the old system’s blueprint routes answer through the gateway exactly as the service does', async () => {
  const { api } = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  const templateId = await publishedTemplate(api);
  const run = await api('POST', `/api/templates/${templateId}/generate-blueprint`);
  expect(run.status).toBe(202);
  await waitFor(
    async () => (await api('GET', `/api/blueprint-runs/${run.body.id}`)).body.status === 'succeeded',
    30_000,
    'the second run',
  );
  for (const path of [
    `/api/templates/${templateId}/blueprint/status`,
    `/api/templates/${templateId}/blueprint/runs`,
    `/api/blueprint-runs/${run.body.id}`,
    `/api/templates/${templateId}/blueprint-job`,
  ]) {
    const [through, direct] = await Promise.all([
      api('GET', path),
      fetch(`${urls.blueprints}${path}`, { headers: authHeaders() }).then(async (response) => ({
        status: response.status,
        body: await response.json(),
      })),
    ]);
    expect({ path, status: through.status, body: through.body }).toEqual({ path, ...direct });
  }
});

test('a service that dies takes only its own routes (503 at once), which come back by themselves when it does', async () => {
  const { api } = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  const hitl = env.processes.get('hitl');
  hitl?.kill('SIGKILL');
  await new Promise((resolve) => hitl?.once('exit', resolve));

  const down = await api('GET', '/api/approvals');
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({ error: 'upstream_unavailable', upstream: 'hitl' });
  expect((await api('GET', '/api/gates/config')).status).toBe(503);
  expect((await api('GET', '/api/projects')).status).toBe(200);
  expect((await api('GET', '/api/templates')).status).toBe(200);
  expect((await api('GET', '/api/jobs')).status).toBe(200);

  env.launch('hitl');
  await waitFor(
    async () => (await api('GET', '/api/approvals')).status === 200,
    60_000,
    'hitl routes back',
    500,
  );
});

test('live events: a project’s stage changes arrive in order over SSE, and a reconnect with Last-Event-ID gets what it missed', async () => {
  const { api } = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  const projectId = (
    await api('POST', '/api/projects', {
      name: 'Watched',
      client: 'Acme',
      templateId: await publishedTemplate(api),
    })
  ).body.id as string;
  const browser = new BrowserSession(urls.gateway);
  await browser.login(SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  const cookie = { cookie: browser.cookie as string };
  const changes = (client: SseClient) =>
    client.envelopes
      .filter((event) => event.type === 'pipeline.project.stage_changed.v1')
      .map((event) => {
        const { stage, to } = event.payload as { stage: string; to: string };
        return `${stage}:${to}`;
      });

  const first = await SseClient.open(urls.gateway, `?projectId=${projectId}`, cookie);
  expect(first.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  await first.until((frame) => frame.event === 'ready', 'the stream to open');
  expect((await api('POST', `/api/projects/${projectId}/sale`, {})).status).toBe(200);
  await waitFor(() => changes(first).includes('1_onboarding:blocked'), 20_000, 'the sale’s stage changes');
  const lastSeen = first.envelopes.at(-1)?.sseId as string;
  first.close();

  // While nobody listens, the onboarding answers move the project on.
  expect(
    (
      await api('PUT', `/api/projects/${projectId}/onboarding`, {
        answers: { domain: 'https://a.example', pages: 2 },
      })
    ).status,
  ).toBe(200);
  await waitFor(
    async () =>
      (await api('GET', `/api/projects/${projectId}/pipeline`)).body.currentStage === '2_assignment',
    20_000,
    'onboarding done',
  );
  const resumed = await SseClient.open(urls.gateway, `?projectId=${projectId}`, {
    ...cookie,
    'last-event-id': lastSeen,
  });
  await resumed.until((frame) => frame.event === 'ready', 'the replay');
  expect(changes(resumed)).toEqual(
    expect.arrayContaining(['1_onboarding:succeeded', '2_assignment:blocked']),
  );
  expect(changes(resumed)).not.toContain('1_onboarding:blocked');
  // In the order the timeline has its stage changes (not its audit records: a save, an upload).
  const timeline = (await api('GET', `/api/projects/${projectId}/timeline`)).body.items
    .filter((entry: { fact?: unknown }) => entry.fact === undefined)
    .map((entry: { stage: string; to: string }) => `${entry.stage}:${entry.to}`);
  const all = [...changes(first), ...changes(resumed)];
  expect(all).toEqual(timeline.filter((entry: string) => all.includes(entry)));
  resumed.close();

  // Without a session or key there is no stream.
  expect((await fetch(`${urls.gateway}/api/events`)).status).toBe(401);
});

test('the API document covers every route, is served without signing in, and so is its docs page', async () => {
  const document = (await (await fetch(`${urls.gateway}/api/openapi.json`)).json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  expect(document.openapi).toMatch(/^3\.1\./);
  const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(operations).toEqual(
    expect.arrayContaining([
      'POST /api/auth/login',
      'GET /api/events',
      'POST /api/projects',
      'POST /api/projects/{id}/artifacts',
      'POST /api/approvals/{id}/approve',
      'GET /api/jobs',
      'POST /api/templates/{id}/blueprint/generate',
      'POST /api/templates/{id}/generate-blueprint',
      'GET /api/templates/{id}/blueprint/status',
      'GET /api/templates/{id}/blueprint/runs',
      'GET /api/blueprint-runs/{runId}',
      'GET /api/templates/{id}/blueprint-job',
    ]),
  );
  // Every documented operation is answered by someone: the gateway or the service behind it.
  const { api } = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  for (const operation of operations.filter((entry) => entry.startsWith('GET ') && !entry.includes('{'))) {
    const path = operation.slice(4);
    if (path === '/api/events') continue; // a stream: tested above
    const answer = await api('GET', path);
    expect({ operation, noSuchRoute: answer.body?.message === 'no such route' }).toEqual({
      operation,
      noSuchRoute: false,
    });
  }
  const page = await fetch(`${urls.gateway}/api/docs`);
  expect(page.status).toBe(200);
  expect(await page.text()).not.toMatch(/https?:\/\//);
});

/** A published template with its blueprint generated, through the gateway. */
async function publishedTemplate(api: ReturnType<typeof keyClient>): Promise<string> {
  const created = await api('POST', '/api/templates', {
    ...websiteTemplate,
    name: `Gateway ${Math.random()}`,
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await api('POST', `/api/templates/${id}/publish`)).status).toBe(200);
  const run = await api('POST', `/api/templates/${id}/blueprint/generate`);
  expect(run.status).toBe(202);
  await waitFor(
    async () => (await api('GET', `/api/blueprint-runs/${run.body.id}`)).body.status === 'succeeded',
    30_000,
    'the blueprint run',
  );
  return id;
}
