import { waitFor } from '@delivery/testing';
import { type Answer, BrowserSession, invitedPerson, signedInKey } from './gateway-client.js';
import { websiteTemplate, ZIP } from './projects-client.js';
import { SYSTEM_ADMIN, SystemEnv, type SystemUrls } from './system-env.js';

// The gates as the people they gate meet them, through the gateway: Devi delivers the work
// (assignee, uploader, and a qa_lead herself), Quinn is a second qa_lead, Dana manages the
// project, Otto manages other projects, and the admin binds them all. Each is allowed and refused
// exactly as the rules say: the relation to the project and to the work decides, not the role.

let env: SystemEnv;
let urls: SystemUrls;
type Client = (method: string, path: string, body?: unknown) => Promise<Answer>;
const people: Record<'admin' | 'dana' | 'otto' | 'devi' | 'quinn', { id: string; api: Client; key: string }> =
  {} as never;

const PASSWORD = 'a long enough password';
const reviewAfterBuild = {
  required: true,
  point: 'after',
  approverRoles: ['qa_lead'],
  approvalsNeeded: 1,
  expiresAfterMinutes: 60,
  allowSelfApproval: false,
};

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start();
  const admin = new BrowserSession(urls.gateway);
  expect((await admin.login(SYSTEM_ADMIN.email, SYSTEM_ADMIN.password)).status).toBe(200);
  const roles = {
    dana: ['delivery_manager', 'qa_lead'],
    otto: ['delivery_manager'],
    devi: ['developer', 'qa_lead'],
    quinn: ['qa_lead'],
  } as const;
  for (const [name, held] of Object.entries(roles)) {
    const { id } = await invitedPerson(admin, `${name}@example.com`, [...held], PASSWORD);
    const { api, key } = await signedInKey(urls.gateway, `${name}@example.com`, PASSWORD);
    people[name as keyof typeof roles] = { id, api, key };
  }
  const adminKey = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  people.admin = { id: 'admin', api: adminKey.api, key: adminKey.key };
  const gates = await people.admin.api('PUT', '/api/gates/config', {
    stages: { '3_build': reviewAfterBuild },
  });
  expect(gates.status).toBe(200);
}, 180_000);
afterAll(() => env.close());

async function templateWithBlueprint(): Promise<string> {
  const { api } = people.admin;
  const created = await api('POST', '/api/templates', websiteTemplate);
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await api('POST', `/api/templates/${id}/publish`)).status).toBe(200);
  const run = await api('POST', `/api/templates/${id}/blueprint/generate`);
  await waitFor(
    async () => (await api('GET', `/api/blueprint-runs/${run.body.id}`)).body.status === 'succeeded',
    30_000,
    'the blueprint run',
  );
  return id;
}

async function uploadAs(person: keyof typeof people, projectId: string, bytes = ZIP) {
  const form = new FormData();
  form.append('name', 'site.zip');
  form.append('file', new Blob([bytes], { type: 'application/zip' }), 'site.zip');
  const response = await fetch(`${urls.gateway}/api/projects/${projectId}/artifacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${people[person].key}` },
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

const pipelineOf = async (projectId: string) =>
  (await people.dana.api('GET', `/api/projects/${projectId}/pipeline`)).body;
const until = (projectId: string, stage: string, status: string) =>
  waitFor(
    async () => {
      const view = await pipelineOf(projectId);
      return view.currentStage === stage && view.stageStatus === status && view;
    },
    60_000,
    `${stage} ${status}`,
    200,
  );
/** The open approval of the project's current stage, as `why` names it. */
const openApproval = (projectId: string) =>
  waitFor(
    async () => {
      const why = (await people.dana.api('GET', `/api/projects/${projectId}/why`)).body;
      return why.approval?.status === 'pending' && (why.approval.id as string);
    },
    30_000,
    'the open approval',
    200,
  );

test('who did the work cannot wave it through; managers act only on their projects; the admin binds them all', async () => {
  const { dana, otto, devi, quinn, admin } = people;
  const created = await dana.api('POST', '/api/projects', {
    name: 'Gated by people',
    client: 'Acme',
    templateId: await templateWithBlueprint(),
  });
  expect([created.status, created.body.deliveryManagerId]).toEqual([201, dana.id]);
  const projectId = created.body.id as string;
  const path = (rest: string) => `/api/projects/${projectId}${rest}`;

  // Another delivery manager changes nothing on it, and cannot loosen its gates.
  for (const [method, rest, body] of [
    ['POST', '/sale', {}],
    ['PUT', '/assignment', { assignees: [{ id: otto.id, name: 'Otto' }] }],
    ['POST', '/archive', {}],
    ['PUT', '/management', { deliveryManagerId: otto.id }],
    ['PUT', '/gate-overrides', { stages: { '3_build': { ...reviewAfterBuild, required: false } } }],
  ] as const) {
    expect([rest, (await otto.api(method, path(rest), body)).status]).toEqual([rest, 403]);
  }

  // Its manager moves it on, but may not switch off the admin's review on her own project.
  expect((await dana.api('POST', path('/sale'), {})).status).toBe(200);
  const answers = { answers: { domain: 'https://acme.example', pages: 3 } };
  expect((await dana.api('PUT', path('/onboarding'), answers)).status).toBe(200);
  expect(
    (await dana.api('PUT', path('/assignment'), { assignees: [{ id: devi.id, name: 'Devi' }] })).status,
  ).toBe(200);
  const loosen = await dana.api('PUT', path('/gate-overrides'), {
    stages: { '3_build': { ...reviewAfterBuild, required: false } },
  });
  expect([loosen.status, loosen.body.error, loosen.body.details.fields]).toEqual([
    403,
    'override_loosens_gate',
    ['3_build.required'],
  ]);

  // The assignee uploads (another manager may not); the build runs and its review is asked for
  // by the pipeline itself.
  expect((await uploadAs('otto', projectId)).status).toBe(403);
  expect((await uploadAs('devi', projectId)).status).toBe(201);
  await until(projectId, '3_build', 'awaiting_approval');
  const review = await openApproval(projectId);
  const detail = await quinn.api('GET', `/api/approvals/${review}`);
  expect(detail.body.responsiblePeople.map((person: { id: string }) => person.id)).toContain(devi.id);

  // Devi holds the approver role, but the work is hers: refused. Quinn approves.
  const self = await devi.api('POST', `/api/approvals/${review}/approve`, {});
  expect([self.status, self.body.details?.reason]).toEqual([403, 'self_approval']);
  expect((await quinn.api('POST', `/api/approvals/${review}/approve`, {})).status).toBe(200);
  await until(projectId, '4_test', 'blocked');

  // A new artifact after the review was granted: the grant no longer holds, the build runs again
  // as generation 2, and its review is asked again.
  const rebuilt = Buffer.concat([ZIP, Buffer.from(' with a fix')]);
  expect((await uploadAs('devi', projectId, rebuilt)).status).toBe(201);
  const again = await until(projectId, '3_build', 'awaiting_approval');
  expect(again.generation).toBe(2);
  const timeline = (await dana.api('GET', path('/timeline'))).body.items;
  expect(timeline).toContainEqual(
    expect.objectContaining({ stage: '3_build', generation: 2, trigger: 'artifact_upload' }),
  );
  const secondReview = await openApproval(projectId);
  expect(secondReview).not.toBe(review);

  // Archiving withdraws the open review; an upload is refused; restoring asks again.
  expect((await dana.api('POST', path('/archive'), {})).status).toBe(200);
  await waitFor(
    async () => (await quinn.api('GET', `/api/approvals/${secondReview}`)).body.status === 'withdrawn',
    30_000,
    'the review withdrawn',
    200,
  );
  expect((await uploadAs('devi', projectId)).status).toBe(409);
  expect((await dana.api('POST', path('/unarchive'), {})).status).toBe(200);
  await until(projectId, '3_build', 'awaiting_approval');

  // The admin may loosen the project's gate (audited with before and after); then it moves on.
  const byAdmin = await admin.api('PUT', path('/gate-overrides'), {
    stages: { '3_build': { ...reviewAfterBuild, required: false } },
  });
  expect(byAdmin.status).toBe(200);
  const audit = (await admin.api('GET', path('/audit'))).body.items;
  expect(audit).toContainEqual(
    expect.objectContaining({ action: 'gate_override.changed', loosened: ['3_build.required'] }),
  );
}, 300_000);
