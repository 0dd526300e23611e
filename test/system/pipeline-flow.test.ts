import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { authHeaders, getJson, postJson, requestJson, waitFor } from '@delivery/testing';
import { SystemEnv, type SystemUrls } from './system-env.js';

// The whole system, each service its own process: a project moves from 0_sales on by its
// triggers alone, stopping with a reason wherever a person must act.

let env: SystemEnv;
let urls: SystemUrls;

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start();
}, 120_000);
afterAll(() => env.close());

const template = {
  name: 'Website',
  content: {
    fields: [
      { key: 'domain', label: 'Domain', type: 'url', required: true },
      { key: 'pages', label: 'Pages', type: 'number', required: true, validation: { min: 1, max: 50 } },
    ],
    artifacts: [
      { name: 'site.zip', contentType: 'application/zip', maxSizeBytes: 1_000_000, required: true },
    ],
  },
};

async function publishedTemplateWithBlueprint(): Promise<string> {
  const created = await postJson(`${urls.blueprints}/api/templates`, template);
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await postJson(`${urls.blueprints}/api/templates/${id}/publish`)).status).toBe(200);
  const run = await postJson(`${urls.blueprints}/api/templates/${id}/blueprint/generate`);
  expect(run.status).toBe(202);
  await waitFor(
    async () =>
      (await getJson(`${urls.blueprints}/api/blueprint-runs/${run.body.id}`)).body.status === 'succeeded',
    30_000,
    'the blueprint run',
  );
  return id;
}

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../services/job-runner/src/handlers/fixtures/${name}`, import.meta.url));

async function upload(
  projectId: string,
  kind: 'artifacts' | 'test-reports',
  bytes: Buffer,
  name: string,
  type: string,
) {
  const form = new FormData();
  if (kind === 'artifacts') form.append('name', name);
  form.append('file', new Blob([bytes], { type }), name);
  const response = await fetch(`${urls.pipeline}/projects/${projectId}/${kind}`, {
    method: 'POST',
    headers: authHeaders(),
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

const pipelineOf = async (projectId: string) =>
  (await getJson(`${urls.pipeline}/projects/${projectId}/pipeline`)).body;

async function untilStage(projectId: string, stage: string, status: string) {
  return waitFor(
    async () => {
      const view = await pipelineOf(projectId);
      return view.currentStage === stage && view.stageStatus === status && view;
    },
    30_000,
    `${projectId} at ${stage} ${status}`,
  );
}

test('a project with no gates goes from 0_sales to 6_complete by its triggers, saying why wherever it waits', async () => {
  const templateId = await publishedTemplateWithBlueprint();
  const created = await postJson(`${urls.pipeline}/projects`, {
    name: 'Acme site',
    client: 'Acme',
    templateId,
  });
  expect(created.status).toBe(201);
  const projectId = created.body.id as string;

  const atSales = await untilStage(projectId, '0_sales', 'blocked');
  expect(atSales.blockedReasons).toMatchObject([{ code: 'sale_not_confirmed', action: 'confirm_sale' }]);

  expect((await postJson(`${urls.pipeline}/projects/${projectId}/sale`, { note: 'signed' })).status).toBe(
    200,
  );
  const atOnboarding = await untilStage(projectId, '1_onboarding', 'blocked');
  expect(atOnboarding.blockedReasons[0]).toMatchObject({
    code: 'onboarding_incomplete',
    action: 'save_onboarding',
  });

  const invalid = await requestJson('PUT', `${urls.pipeline}/projects/${projectId}/onboarding`, {
    answers: { domain: 'not a url', pages: 0 },
  });
  expect(invalid.status).toBe(400);
  expect(invalid.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
    'answers.domain',
    'answers.pages',
  ]);
  expect((await getJson(`${urls.pipeline}/projects/${projectId}/onboarding`)).body.answers).toEqual({});

  const saved = await requestJson('PUT', `${urls.pipeline}/projects/${projectId}/onboarding`, {
    answers: { domain: 'https://acme.example', pages: 5 },
  });
  expect(saved.status).toBe(200);
  expect(saved.body.completeness).toMatchObject({ complete: true });
  const atAssignment = await untilStage(projectId, '2_assignment', 'blocked');
  expect(atAssignment.blockedReasons[0]).toMatchObject({ code: 'no_assignee' });

  expect((await postJson(`${urls.pipeline}/projects/${projectId}/assignment/auto`)).status).toBe(200);
  const atBuild = await untilStage(projectId, '3_build', 'blocked');
  expect(atBuild.blockedReasons[0]).toMatchObject({ code: 'artifact_missing', action: 'upload_artifact' });
  expect(atBuild.assignees).toEqual([{ id: 'dev-1', name: 'Devi' }]);

  // The build job (job-runner worker process) downloads the upload from the pipeline with its
  // service token and checks it against the blueprint.
  const zip = Buffer.from('PK\u0003\u0004 a zipped site');
  expect((await upload(projectId, 'artifacts', zip, 'site.zip', 'application/zip')).status).toBe(201);
  const atTest = await untilStage(projectId, '4_test', 'blocked');
  expect(atTest.blockedReasons[0]).toMatchObject({ code: 'test_report_missing' });
  expect(atTest.stages['3_build']).toMatchObject({
    status: 'succeeded',
    generation: 1,
    jobId: expect.any(String),
  });

  const report = readFileSync(fixture('TEST-com.acme.orders.OrderServiceTest.xml'));
  expect((await upload(projectId, 'test-reports', report, 'TEST-orders.xml', 'application/xml')).status).toBe(
    201,
  );
  // The failing case becomes a defect that a person must confirm or reject.
  const atDefects = await untilStage(projectId, '5_defect_validation', 'needs_human');
  expect(atDefects.blockedReasons[0]).toMatchObject({ code: 'needs_human', action: 'resume_job' });
  // Why it stopped, in one call: the reason, who can act, and the job as the job-runner sees it.
  const why = (await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body;
  expect(why).toMatchObject({
    stage: '5_defect_validation',
    stageStatus: 'needs_human',
    blockedReasons: [{ code: 'needs_human', action: 'resume_job' }],
    job: { kind: 'defect_validation', status: 'NEEDS_HUMAN', attempts: 1 },
    approval: null,
  });
  const defects = (await getJson(`${urls.pipeline}/projects/${projectId}`)).body.outputs['4_test']
    .defects as {
    fingerprint: string;
  }[];
  expect(defects.length).toBeGreaterThan(0);
  const decisions = Object.fromEntries(defects.map((defect) => [defect.fingerprint, 'confirmed']));
  const resumed = await postJson(`${urls.pipeline}/projects/${projectId}/resume`, { input: { decisions } });
  expect(resumed.status).toBe(200);

  const done = await untilStage(projectId, '6_complete', 'succeeded');
  expect(done.status).toBe('completed');
  const jobs = (await getJson(`${urls.jobRunner}/jobs?projectId=${projectId}&limit=50`)).body.items as {
    stage: string;
    idempotencyKey: string;
  }[];
  expect(jobs.map((job) => job.idempotencyKey).sort()).toEqual(
    ['3_build', '4_test', '5_defect_validation'].map((stage) => `${projectId}:${stage}:1`),
  );

  const timeline = (await getJson(`${urls.pipeline}/projects/${projectId}/timeline`)).body.items;
  expect(timeline.map((entry: { stage: string; to: string }) => `${entry.stage}:${entry.to}`)).toEqual(
    expect.arrayContaining([
      '0_sales:blocked',
      '0_sales:succeeded',
      '1_onboarding:succeeded',
      '2_assignment:succeeded',
      '3_build:running',
      '3_build:succeeded',
      '4_test:succeeded',
      '5_defect_validation:needs_human',
      '5_defect_validation:succeeded',
      '6_complete:succeeded',
    ]),
  );
});
