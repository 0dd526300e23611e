import { randomUUID } from 'node:crypto';
import { projectEvents, projectStageChanged } from '@delivery/contracts';
import { serviceToken } from '@delivery/testing';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

// Work nobody will use is canceled: an archived project's jobs that have not ended (each
// announced), and a restarted stage's older generations; other projects' and stages' jobs stay.

let env: JobRunnerEnv;
let api: string;
let events: Awaited<ReturnType<JobRunnerEnv['subscribe']>>;

beforeAll(async () => {
  env = await JobRunnerEnv.create();
  api = await env.startApi(); // no worker: the jobs stay queued until something ends them
  events = await env.subscribe('jobs.job.canceled.v1');
});
afterAll(() => env.close());

const enqueue = async (projectId: string) =>
  (
    await postJson(`${api}/jobs`, {
      projectId,
      stage: '3_build',
      kind: 'noop',
      idempotencyKey: `key-${randomUUID()}`,
    })
  ).body.id as string;
const statusOf = async (id: string) => (await getJson(`${api}/jobs/${id}`)).body.status;

const announce = (
  projectId: string,
  status: 'active' | 'archived',
  sequence: number,
  occurredAt = new Date(),
) =>
  env.publishEvent(projectEvents.updated.routingKey, {
    ...projectEvents.updated.create(
      { projectId, name: 'Apollo', requireManualReview: false, deliveryManagerId: 'dm-1', status },
      { occurredAt },
    ),
    subject: projectId,
    sequence,
  });

test("an archived project's queued jobs are canceled and announced; another project's are not", async () => {
  const archived = `project-${randomUUID()}`;
  const other = `project-${randomUUID()}`;
  const [first, second, untouched] = [await enqueue(archived), await enqueue(archived), await enqueue(other)];

  await announce(archived, 'archived', 3);
  await waitFor(
    async () => (await statusOf(first)) === 'CANCELED' && (await statusOf(second)) === 'CANCELED',
  );
  await waitFor(() => events.filter((event) => event.body.payload.projectId === archived).length === 2);
  expect(await statusOf(untouched)).toBe('QUEUED');
});

test('an active project announced, or an archive older than a job, cancels nothing (a later archive shows both were handled)', async () => {
  const projectId = `project-${randomUUID()}`;
  const job = await enqueue(projectId);
  await announce(projectId, 'active', 4);
  await announce(projectId, 'archived', 5, new Date(Date.now() - 3_600_000)); // late: the project was restored since
  const sentinel = `project-${randomUUID()}`;
  const sentinelJob = await enqueue(sentinel);
  await announce(sentinel, 'archived', 6);
  await waitFor(async () => (await statusOf(sentinelJob)) === 'CANCELED');
  expect(await statusOf(job)).toBe('QUEUED');
});

test("a stage started over as a newer generation cancels its older generations' open jobs, and only those", async () => {
  const projectId = `project-${randomUUID()}`;
  const stageJob = async (stage: string, generation: number) =>
    (
      await postJson(
        `${api}/jobs`,
        { projectId, stage, kind: 'noop', idempotencyKey: `${projectId}:${stage}:${generation}` },
        { token: serviceToken('pipeline', 'job-runner') },
      )
    ).body.id as string;
  const [old, current, otherStage] = [
    await stageJob('3_build', 1),
    await stageJob('3_build', 2),
    await stageJob('4_test', 1),
  ];
  await env.publishEvent(projectStageChanged.routingKey, {
    ...projectStageChanged.create({
      projectId,
      stage: '3_build',
      generation: 2,
      from: 'running',
      to: 'awaiting_approval',
      trigger: 'artifact_uploaded',
      actor: null,
    }),
    subject: projectId,
    sequence: 7,
  });
  await waitFor(async () => (await statusOf(old)) === 'CANCELED');
  expect([await statusOf(current), await statusOf(otherStage)]).toEqual(['QUEUED', 'QUEUED']);
});
