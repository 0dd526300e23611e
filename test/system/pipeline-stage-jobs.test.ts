import { randomUUID } from 'node:crypto';
import { getJson, postJson, userToken, waitFor } from '@delivery/testing';
import { projectsClient, ZIP } from './projects-client.js';
import { SystemEnv, type SystemUrls } from './system-env.js';

// A stage's job key belongs to the pipeline. Nobody else may take one now; and a stage whose
// enqueue the job-runner refuses (here: its key was taken before keys were reserved) does not
// hang `running`: it is blocked saying why, and a resume runs it again.

let env: SystemEnv;
let urls: SystemUrls;

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start();
}, 120_000);
afterAll(() => env.close());

const projects = () => projectsClient(urls);

test('a stage key is refused to an operator; a stage whose enqueue is refused is blocked with the reason and moves on after a resume', async () => {
  const { publishedTemplateWithBlueprint, create, throughAssignment, untilStage, upload } = projects();
  const projectId = await create(await publishedTemplateWithBlueprint());
  await throughAssignment(projectId);
  await untilStage(projectId, '3_build', 'blocked');
  const key = `${projectId}:3_build:1`;

  // An operator cannot take the build stage's key (nor drive the stage with a job of their own).
  const operator = userToken({ roles: ['admin', 'operator'] });
  const taken = await postJson(
    `${urls.jobRunner}/jobs`,
    { projectId, stage: '3_build', kind: 'noop', idempotencyKey: key },
    { token: operator },
  );
  expect(taken).toMatchObject({
    status: 403,
    body: { error: 'forbidden', details: { idempotencyKey: key } },
  });
  expect((await getJson(`${urls.jobRunner}/jobs?projectId=${projectId}`)).body.items).toEqual([]);

  // One who did so before keys were reserved left a job holding the key, with no record of who.
  const jobs = (await env.database()).useDb(`${env.mongoDb}-jobs`).collection('job_runs');
  await jobs.insertOne({
    _id: randomUUID() as never,
    projectId,
    stage: '3_build',
    kind: 'noop',
    status: 'SUCCESS',
    idempotencyKey: key,
    createdAt: new Date(),
  });

  // The upload makes the pipeline enqueue the build: refused, the key is taken.
  expect((await upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip')).status).toBe(201);
  const blocked = await untilStage(projectId, '3_build', 'blocked');
  expect(blocked.blockedReasons).toEqual([
    {
      code: 'job_refused',
      message: expect.stringContaining(`idempotency key "${key}" was used for job`),
      whoCanAct: ['operator', 'delivery_manager'],
      action: 'manual_resume',
    },
  ]);
  expect((await getJson(`${urls.pipeline}/projects/${projectId}/why`)).body).toMatchObject({
    stage: '3_build',
    stageStatus: 'blocked',
    blockedReasons: [{ code: 'job_refused', action: 'manual_resume' }],
  });

  // The resume runs the stage as generation 2, under a key nobody holds, and the project moves on.
  expect((await postJson(`${urls.pipeline}/projects/${projectId}/resume`, {})).status).toBe(200);
  const atTest = await untilStage(projectId, '4_test', 'blocked');
  expect(atTest.stages['3_build']).toMatchObject({ status: 'succeeded', generation: 2 });
  const built = await waitFor(
    async () => {
      const items = (await getJson(`${urls.jobRunner}/jobs?projectId=${projectId}&kind=build`)).body.items;
      return items.length === 1 && items[0];
    },
    10_000,
    'the build job',
  );
  expect(built).toMatchObject({
    idempotencyKey: `${projectId}:3_build:2`,
    status: 'SUCCESS',
    enqueuedBy: { kind: 'service', id: 'pipeline' },
  });

  const timeline = (await getJson(`${urls.pipeline}/projects/${projectId}/timeline`)).body.items as {
    stage: string;
    generation: number;
    to: string;
    trigger: string;
  }[];
  expect(
    timeline
      .filter((entry) => entry.stage === '3_build')
      .map((entry) => `${entry.generation}:${entry.to}:${entry.trigger}`),
  ).toEqual(
    expect.arrayContaining([
      '1:running:gate_passed',
      '1:blocked:job_refused',
      '2:running:gate_passed',
      '2:succeeded:gate_passed',
    ]),
  );
});
