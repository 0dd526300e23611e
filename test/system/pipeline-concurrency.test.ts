import { getJson, postJson, requestJson, waitFor } from '@delivery/testing';
import { junitReport, projectsClient, ZIP } from './projects-client.js';
import { SystemEnv, type SystemUrls } from './system-env.js';

// Many projects at once, every trigger sent twice (a double click, a redelivered request): each
// project reaches 6_complete exactly once, with exactly one job per stage and generation.

const PROJECTS = 100;

let env: SystemEnv;
let urls: SystemUrls;

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start({ 'job-runner-worker': { WORKER_CONCURRENCY: 16 } });
}, 120_000);
afterAll(() => env.close());

/** Both copies of a trigger at once; returns their statuses. */
const twice = async (send: () => Promise<{ status: number }>) =>
  (await Promise.all([send(), send()])).map((answer) => answer.status).sort();

test(`${PROJECTS} projects advanced concurrently, every trigger twice: each completes once, one job per stage generation`, async () => {
  const client = projectsClient(urls);
  const completed = await env.subscribe('pipeline.project.completed.v1');
  const templateId = await client.publishedTemplateWithBlueprint();
  const at = (projectId: string, stage: string, status: string) =>
    client.untilStage(projectId, stage, status, 180_000, 500);

  const flow = async (index: number): Promise<string> => {
    const projectId = await client.create(templateId, `Concurrent ${index}`);
    const base = `${urls.pipeline}/projects/${projectId}`;
    // The second confirmation of a sale is refused (409); everything else is idempotent.
    expect(await twice(() => postJson(`${base}/sale`, {}))).toEqual([200, 409]);
    const answers = { answers: { domain: 'https://acme.example', pages: 3 } };
    expect(await twice(() => requestJson('PUT', `${base}/onboarding`, answers))).toEqual([200, 200]);
    const assignees = { assignees: [{ id: 'dev-1', name: 'Devi' }] };
    expect(await twice(() => requestJson('PUT', `${base}/assignment`, assignees))).toEqual([200, 200]);
    await at(projectId, '3_build', 'blocked');
    await twice(() => client.upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip'));
    await at(projectId, '4_test', 'blocked');
    await twice(() =>
      client.upload(projectId, 'test-reports', junitReport(), 'TEST-1.xml', 'application/xml'),
    );
    await at(projectId, '5_defect_validation', 'needs_human');
    const { outputs } = (await getJson(base)).body;
    const decisions = Object.fromEntries(
      (outputs['4_test'].defects as { fingerprint: string }[]).map((defect) => [
        defect.fingerprint,
        'confirmed',
      ]),
    );
    await twice(() => postJson(`${base}/resume`, { input: { decisions } }));
    await at(projectId, '6_complete', 'succeeded');
    return projectId;
  };

  const projectIds = await Promise.all(Array.from({ length: PROJECTS }, (_, index) => flow(index)));

  for (const projectId of projectIds) {
    const jobs = (await getJson(`${urls.jobRunner}/jobs?projectId=${projectId}&limit=50`)).body.items as {
      idempotencyKey: string;
      status: string;
    }[];
    expect(jobs.map((job) => job.idempotencyKey).sort()).toEqual(
      ['3_build', '4_test', '5_defect_validation'].map((stage) => `${projectId}:${stage}:1`),
    );
    const timeline = (await getJson(`${urls.pipeline}/projects/${projectId}/timeline`)).body.items as {
      stage: string;
      to: string;
    }[];
    // No stage was skipped or passed twice.
    expect(timeline.filter((entry) => entry.to === 'succeeded').map((entry) => entry.stage)).toEqual([
      '0_sales',
      '1_onboarding',
      '2_assignment',
      '3_build',
      '4_test',
      '5_defect_validation',
      '6_complete',
    ]);
  }
  // Exactly one completion each (duplicates of a published event carry the same id).
  await waitFor(
    () => new Set(completed.map((event) => event.body.payload.projectId)).size === PROJECTS,
    30_000,
  );
  const completions = new Map<string, Set<string>>();
  for (const event of completed) {
    const ids = completions.get(event.body.payload.projectId as string) ?? new Set();
    completions.set(event.body.payload.projectId as string, ids.add(event.body.id));
  }
  expect([...completions.values()].every((ids) => ids.size === 1)).toBe(true);
}, 600_000);
