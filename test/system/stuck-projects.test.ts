import { authHeaders, getJson, postJson, userToken, waitFor } from '@delivery/testing';
import { junitReport, projectsClient, ZIP } from './projects-client.js';
import { SystemEnv, type SystemUrls } from './system-env.js';

// No project gets stuck for good, across the whole system (each service its own process): a
// malformed test report is named by the stage it failed, and replacing it runs the stage again
// with the new file; the defects the test stage finds are decided by a QA lead.

let env: SystemEnv;
let urls: SystemUrls;

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start();
}, 120_000);
afterAll(() => env.close());

const projects = () => projectsClient(urls);
const QA_LEAD = userToken({ id: 'qa-1', name: 'Quinn', roles: ['qa_lead'] });
/** AUTO_ASSIGN_POOL's people: each project gets the one with fewer projects. */
const POOL = [
  { id: 'dev-1', name: 'Devi' },
  { id: 'dev-2', name: 'Dario' },
];
const tokenOf = (person: { id: string; name: string }) => userToken({ ...person, roles: ['developer'] });

const CLEAN_REPORT = '<testsuite name="smoke"><testcase name="boots" time="0.2"/></testsuite>';
const BROKEN_REPORT = '<testsuite name="smoke"><testcase name="boots"></testsuite>';

async function sendReport(
  method: 'POST' | 'PUT',
  path: string,
  token: string,
  xml: string,
  filename: string,
) {
  const form = new FormData();
  form.append('file', new Blob([xml], { type: 'application/xml' }), filename);
  const response = await fetch(`${urls.pipeline}${path}`, {
    method,
    headers: authHeaders(token),
    body: form,
  });
  return { status: response.status, body: (await response.json()) as { id: string; error?: string } };
}

/** A new project at 4_test, its build done, waiting for a test report; its assignee and the other person of the pool. */
async function atTest() {
  const { publishedTemplateWithBlueprint, create, throughAssignment, untilStage, upload } = projects();
  const projectId = await create(await publishedTemplateWithBlueprint());
  await throughAssignment(projectId);
  expect((await upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip')).status).toBe(201);
  const view = await untilStage(projectId, '4_test', 'blocked');
  const assignee = POOL.find((person) => person.id === view.assignees[0].id) as { id: string; name: string };
  const colleague = POOL.find((person) => person !== assignee) as { id: string; name: string };
  return { projectId, assignee, ASSIGNEE: tokenOf(assignee), COLLEAGUE: tokenOf(colleague) };
}

const testJobs = async (projectId: string) =>
  (await getJson(`${urls.jobRunner}/jobs?projectId=${projectId}&kind=test`)).body.items as {
    id: string;
    idempotencyKey: string;
    status: string;
  }[];

test('a malformed report fails 4_test naming the file and who can replace it; replaced by its uploader, generation 2 runs on the new file and the project completes', async () => {
  const { untilStage, pipelineOf } = projects();
  const { projectId, assignee, ASSIGNEE, COLLEAGUE } = await atTest();
  const broken = await sendReport(
    'POST',
    `/projects/${projectId}/test-reports`,
    ASSIGNEE,
    BROKEN_REPORT,
    'junit.xml',
  );
  expect(broken.status).toBe(201);

  const failed = await untilStage(projectId, '4_test', 'failed');
  expect(failed.blockedReasons).toEqual([
    {
      code: 'file_failed',
      message: expect.stringMatching(
        new RegExp(
          `^The test job could not use the test report "junit\\.xml" \\(uploaded by ${assignee.name}\\): malformed XML.*Replace it with a corrected file`,
        ),
      ),
      whoCanAct: ['uploader', 'delivery_manager', 'admin'],
      action: 'replace_file',
      file: {
        id: broken.body.id,
        kind: 'test_report',
        name: 'junit.xml',
        uploadedBy: { kind: 'user', ...assignee },
      },
    },
  ]);
  const why = (await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body;
  expect(why).toMatchObject({
    stage: '4_test',
    stageStatus: 'failed',
    generation: 1,
    summary: expect.stringContaining(`"junit.xml" (uploaded by ${assignee.name})`),
    blockedReasons: [{ action: 'replace_file', file: { id: broken.body.id } }],
  });

  // A colleague on the project may not replace Devi's file; Devi may.
  const path = `/projects/${projectId}/artifacts/${broken.body.id}`;
  expect((await sendReport('PUT', path, COLLEAGUE, CLEAN_REPORT, 'junit.xml')).status).toBe(403);
  const replaced = await sendReport('PUT', path, ASSIGNEE, CLEAN_REPORT, 'junit.xml');
  expect(replaced.status).toBe(200);

  // The replacement runs 4_test again as generation 2, on the new file alone; a clean report has
  // no defects, so the project goes on to complete.
  await untilStage(projectId, '6_complete', 'succeeded');
  const done = await pipelineOf(projectId);
  expect(done.stages['4_test']).toMatchObject({ status: 'succeeded', generation: 2, blockedReasons: [] });
  const jobs = await waitFor(
    async () => {
      const found = await testJobs(projectId);
      return found.length === 2 && found;
    },
    10_000,
    'both test jobs',
  );
  const byKey = Object.fromEntries(jobs.map((job) => [job.idempotencyKey, job]));
  expect(byKey[`${projectId}:4_test:1`]).toMatchObject({ status: 'FAILED' });
  expect(byKey[`${projectId}:4_test:2`]).toMatchObject({ status: 'SUCCESS' });
  const second = await getJson(`${urls.jobRunner}/jobs/${byKey[`${projectId}:4_test:2`]?.id}`);
  expect(second.body.payload.reports).toEqual([
    { name: 'junit.xml', url: expect.stringContaining(`/artifacts/${replaced.body.id}`) },
  ]);
  const project = (await getJson(`${urls.pipeline}/projects/${projectId}`)).body;
  expect(project.outputs['4_test'].summary).toMatchObject({ tests: 1, passed: 1 });

  const timeline = (await getJson(`${urls.pipeline}/projects/${projectId}/timeline`)).body.items;
  expect(timeline).toContainEqual(
    expect.objectContaining({
      trigger: 'file_replaced',
      actor: { kind: 'user', ...assignee },
      fact: {
        field: 'file',
        before: expect.objectContaining({ id: broken.body.id, name: 'junit.xml' }),
        after: expect.objectContaining({ id: replaced.body.id, name: 'junit.xml' }),
      },
    }),
  );
});

test('defects wait for a QA lead: the why panel names QA leads, an assignee is refused, the QA lead’s decisions complete the project', async () => {
  const { untilStage } = projects();
  const { projectId, ASSIGNEE } = await atTest();
  const report = await sendReport(
    'POST',
    `/projects/${projectId}/test-reports`,
    ASSIGNEE,
    junitReport().toString(),
    'orders.xml',
  );
  expect(report.status).toBe(201);
  await untilStage(projectId, '5_defect_validation', 'needs_human');

  const why = (await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body;
  expect(why.blockedReasons).toEqual([
    {
      code: 'defects_undecided',
      message: expect.stringMatching(/defects await confirmation: confirm or reject each defect$/),
      whoCanAct: ['qa_lead', 'delivery_manager', 'admin'],
      action: 'decide_defects',
    },
  ]);

  const project = (await getJson(`${urls.pipeline}/projects/${projectId}`)).body;
  const fingerprints = [
    ...new Set((project.outputs['4_test'].defects as { fingerprint: string }[]).map((d) => d.fingerprint)),
  ];
  expect(fingerprints.length).toBeGreaterThan(1);
  const decisions = Object.fromEntries(fingerprints.map((fingerprint) => [fingerprint, 'rejected']));
  const decide = (token: string) =>
    postJson(`${urls.pipeline}/projects/${projectId}/defect-decisions`, { decisions }, { token });

  expect((await decide(ASSIGNEE)).status).toBe(403);
  const decided = await decide(QA_LEAD);
  expect(decided.status).toBe(200);
  await untilStage(projectId, '6_complete', 'succeeded');

  const timeline = (await getJson(`${urls.pipeline}/projects/${projectId}/timeline`)).body.items;
  expect(timeline).toContainEqual(
    expect.objectContaining({
      stage: '5_defect_validation',
      from: 'needs_human',
      to: 'running',
      trigger: 'defects_decided',
      actor: { kind: 'user', id: 'qa-1', name: 'Quinn' },
    }),
  );
  const validated = (await getJson(`${urls.pipeline}/projects/${projectId}`)).body.outputs[
    '5_defect_validation'
  ];
  expect(validated).toMatchObject({ unconfirmed: 0, rejected: fingerprints.length });
});
