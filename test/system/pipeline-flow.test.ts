import { getJson, postJson, requestJson, waitFor } from '@delivery/testing';
import { junitReport, projectsClient, websiteTemplate, ZIP } from './projects-client.js';
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

const projects = () => projectsClient(urls);

test('a project with no gates goes from 0_sales to 6_complete by its triggers, saying why wherever it waits', async () => {
  const { publishedTemplateWithBlueprint, create, untilStage, upload } = projects();
  const projectId = await create(await publishedTemplateWithBlueprint());

  const atSales = await untilStage(projectId, '0_sales', 'blocked');
  expect(atSales.blockedReasons).toMatchObject([{ code: 'sale_not_confirmed', action: 'confirm_sale' }]);
  // Every stage ahead says what it will need, so it can all be in before the project gets there.
  const ahead = (await getJson(`${urls.pipeline}/projects/${projectId}/pipeline`)).body.ahead;
  expect(ahead).toMatchObject([
    { stage: '1_onboarding', status: 'pending', needs: [{ code: 'onboarding_incomplete' }] },
    { stage: '2_assignment', status: 'pending', needs: [{ code: 'no_assignee' }] },
    {
      stage: '3_build',
      status: 'pending',
      needs: [{ code: 'artifact_missing', message: 'Upload the required artifact "site.zip"' }],
    },
    { stage: '4_test', status: 'pending', needs: [{ code: 'test_report_missing' }] },
    { stage: '5_defect_validation', status: 'ready', needs: [] },
  ]);

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

  // A draft first (onboarding_updated), then the rest (onboarding_saved).
  const draft = await requestJson('PUT', `${urls.pipeline}/projects/${projectId}/onboarding`, {
    answers: { domain: 'https://acme.example' },
  });
  expect(draft.body.completeness).toMatchObject({ complete: false });
  const saved = await requestJson('PUT', `${urls.pipeline}/projects/${projectId}/onboarding`, {
    answers: { pages: 5 },
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
  expect((await upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip')).status).toBe(201);
  const atTest = await untilStage(projectId, '4_test', 'blocked');
  expect(atTest.blockedReasons[0]).toMatchObject({ code: 'test_report_missing' });
  expect((await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body.ahead).toEqual([
    { stage: '5_defect_validation', status: 'ready', needs: [] },
  ]);
  expect(atTest.stages['3_build']).toMatchObject({
    status: 'succeeded',
    generation: 1,
    jobId: expect.any(String),
  });

  const report = junitReport();
  expect((await upload(projectId, 'test-reports', report, 'TEST-orders.xml', 'application/xml')).status).toBe(
    201,
  );
  // The failing case becomes a defect that a person must confirm or reject.
  const atDefects = await untilStage(projectId, '5_defect_validation', 'needs_human');
  expect(atDefects.blockedReasons[0]).toMatchObject({
    code: 'defects_undecided',
    whoCanAct: ['qa_lead', 'delivery_manager', 'admin'],
    action: 'decide_defects',
  });
  // Why it stopped, in one call: the reason, who can act, and the job as the job-runner sees it.
  const why = (await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body;
  expect(why).toMatchObject({
    stage: '5_defect_validation',
    stageStatus: 'needs_human',
    blockedReasons: [{ code: 'defects_undecided', action: 'decide_defects' }],
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
  // No stage here has a gate: none ever awaited an approval. Each row names what happened by the
  // old system's trigger names and who did it.
  const rows = (
    timeline as { stage: string; from: string; to: string; trigger: string; actor: { name: string } | null }[]
  ).map(
    (entry) => `${entry.stage}:${entry.from}>${entry.to}:${entry.trigger}:${entry.actor?.name ?? 'system'}`,
  );
  expect(rows.filter((row) => row.includes('awaiting_approval'))).toEqual([]);
  expect(rows).toEqual(
    expect.arrayContaining([
      '0_sales:blocked>ready:sale_confirmed:Test User',
      '1_onboarding:blocked>blocked:onboarding_updated:Test User',
      '1_onboarding:blocked>ready:onboarding_saved:Test User',
      '2_assignment:blocked>ready:auto_assignment:Test User',
      '3_build:blocked>ready:artifact_upload:Test User',
      '4_test:blocked>ready:test_report_upload:Test User',
    ]),
  );
  // The defect decisions are recorded as the person's, whether or not the job reported back first.
  expect(timeline).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        trigger: 'defects_decided',
        actor: expect.objectContaining({ name: 'Test User' }),
        fact: { field: 'defect_decisions', before: null, after: `${defects.length} confirmed, 0 rejected` },
      }),
    ]),
  );
});

test('a project of a template without a blueprint waits at onboarding saying so, and moves on by itself once one is generated', async () => {
  const { create, untilStage } = projects();
  const template = await postJson(`${urls.blueprints}/api/templates`, {
    ...websiteTemplate,
    name: 'No blueprint yet',
  });
  const templateId = template.body.id as string;
  expect((await postJson(`${urls.blueprints}/api/templates/${templateId}/publish`)).status).toBe(200);
  const projectId = await create(templateId, 'Early site');
  expect((await postJson(`${urls.pipeline}/projects/${projectId}/sale`, {})).status).toBe(200);

  const waiting = await untilStage(projectId, '1_onboarding', 'blocked');
  expect(waiting.blockedReasons).toMatchObject([{ code: 'blueprint_missing' }]);
  expect((await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body).toMatchObject({
    blockedReasons: [{ code: 'blueprint_missing' }],
  });

  // Nobody touches the project: the blueprint run's success event alone moves it on, with the
  // blueprint's required fields snapshotted so onboarding now asks for them.
  const run = await postJson(`${urls.blueprints}/api/templates/${templateId}/blueprint/generate`);
  expect(run.status).toBe(202);
  const asking = await waitFor(
    async () => {
      const view = await projects().pipelineOf(projectId);
      return view.blockedReasons[0]?.code === 'onboarding_incomplete' && view;
    },
    30_000,
    'onboarding to ask for the blueprint fields',
  );
  expect(asking).toMatchObject({ currentStage: '1_onboarding', stageStatus: 'blocked' });
  const onboarding = (await getJson(`${urls.pipeline}/projects/${projectId}/onboarding`)).body;
  expect(JSON.stringify(onboarding)).toContain('domain');
  expect(JSON.stringify(onboarding)).toContain('pages');
});
