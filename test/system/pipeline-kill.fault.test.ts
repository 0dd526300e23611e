import { exited, getJson, postJson, ready, requestJson } from '@delivery/testing';
import { junitReport, projectsClient, ZIP } from './projects-client.js';
import { SystemEnv, type SystemUrls } from './system-env.js';

// SIGKILL one service process at a time while projects move, and start it again: every project
// still completes, and no job is lost or run twice for a stage generation.

const PROJECTS = 10;
const VICTIMS = ['pipeline', 'hitl', 'job-runner', 'job-runner-worker', 'template-blueprint'] as const;

let env: SystemEnv;
let urls: SystemUrls;

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start();
}, 120_000);
afterAll(() => env.close());

/** A request that may meet a killed service: tried again until it gets an answer below 500. */
async function persist<T extends { status: number }>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const answer = await send().catch(() => undefined);
    if (answer && answer.status < 500) return answer;
    if (attempt > 600) throw new Error('the service never came back');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('every project completes with one job per stage generation while each service is SIGKILLed and restarted', async () => {
  const client = projectsClient(urls);
  const templateId = await client.publishedTemplateWithBlueprint();
  const at = (projectId: string, stage: string, status: string) =>
    client.untilStage(projectId, stage, status, 240_000, 300);

  const flow = async (index: number): Promise<string> => {
    const created = await persist(() =>
      postJson(`${urls.pipeline}/projects`, { name: `Survivor ${index}`, client: 'Acme', templateId }),
    );
    expect(created.status).toBe(201);
    const projectId = created.body.id as string;
    const base = `${urls.pipeline}/projects/${projectId}`;
    await persist(() => postJson(`${base}/sale`, {}));
    await persist(() =>
      requestJson('PUT', `${base}/onboarding`, { answers: { domain: 'https://a.example', pages: 2 } }),
    );
    await persist(() =>
      requestJson('PUT', `${base}/assignment`, { assignees: [{ id: 'dev-1', name: 'Devi' }] }),
    );
    await at(projectId, '3_build', 'blocked');
    await persist(() => client.upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip'));
    await at(projectId, '4_test', 'blocked');
    await persist(() =>
      client.upload(projectId, 'test-reports', junitReport(), 'TEST-1.xml', 'application/xml'),
    );
    await at(projectId, '5_defect_validation', 'needs_human');
    const { body } = await persist(() => getJson(base));
    const decisions = Object.fromEntries(
      (body.outputs['4_test'].defects as { fingerprint: string }[]).map((defect) => [
        defect.fingerprint,
        'confirmed',
      ]),
    );
    await persist(() => postJson(`${base}/resume`, { input: { decisions } }));
    await at(projectId, '6_complete', 'succeeded');
    return projectId;
  };

  const flows = Promise.all(Array.from({ length: PROJECTS }, (_, index) => flow(index)));
  const baseOf: Partial<Record<(typeof VICTIMS)[number], string>> = {
    pipeline: urls.pipeline,
    hitl: urls.hitl,
    'job-runner': urls.jobRunner,
    'template-blueprint': urls.blueprints,
  };
  for (const victim of VICTIMS) {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const child = env.processes.get(victim);
    child?.kill('SIGKILL');
    if (child) await exited(child);
    env.launch(victim);
    const base = baseOf[victim];
    if (base) await ready(base, 90_000);
  }
  const projectIds = await flows;

  for (const projectId of projectIds) {
    const jobs = (await getJson(`${urls.jobRunner}/jobs?projectId=${projectId}&limit=50`)).body.items as {
      idempotencyKey: string;
      status: string;
    }[];
    expect(jobs.map((job) => `${job.idempotencyKey} ${job.status}`).sort()).toEqual(
      ['3_build', '4_test', '5_defect_validation'].map((stage) => `${projectId}:${stage}:1 SUCCESS`),
    );
  }
}, 600_000);
