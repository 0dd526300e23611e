import { randomUUID } from 'node:crypto';
import { projectEvents } from '@delivery/contracts';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

// An archived project keeps nothing working: the pipeline's announcement cancels its jobs that
// have not ended (each announced), and leaves other projects' jobs alone.

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
