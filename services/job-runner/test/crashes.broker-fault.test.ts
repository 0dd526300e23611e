import { closeConnectionsNamed, type ReceivedEvent, rabbitmqctl } from '@delivery/testing';
import { exited, freePort, getJson, JobRunnerEnv, postJson, ready, waitFor } from './harness.js';

/** Processes killed at the worst moment, and a broker that drops everyone or restarts. */
let env: JobRunnerEnv;
let api: string;
let apiPort: number;

beforeEach(async () => {
  env = await JobRunnerEnv.create();
  apiPort = await freePort();
  api = `http://127.0.0.1:${apiPort}`;
});
afterEach(() => env.close());

let sequence = 0;
async function enqueue(payload: Record<string, unknown> = {}): Promise<string> {
  sequence += 1;
  const response = await postJson(`${api}/jobs`, {
    projectId: 'p-crash',
    stage: '4_test',
    kind: 'noop',
    idempotencyKey: `crash-${sequence}`,
    payload,
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

test('a worker SIGKILLed mid-job: the job completes on another worker once the lease expires', async () => {
  env.spawnProcess('main', { PORT: apiPort });
  const doomed = env.spawnProcess('worker', { WORKER_ID: 'doomed', LEASE_MS: 2_000, HEARTBEAT_MS: 500 });
  await ready(api);
  const id = await enqueue({ sleepMs: 3_000 });
  await waitFor(
    async () => (await getJson(`${api}/jobs/${id}`)).body.status === 'RUNNING',
    20_000,
    'running',
  );
  doomed.kill('SIGKILL');
  await exited(doomed);
  env.spawnProcess('worker', { WORKER_ID: 'survivor', LEASE_MS: 2_000, HEARTBEAT_MS: 500 });

  const done = await waitFor(
    async () => {
      const { body } = await getJson(`${api}/jobs/${id}`);
      return body.status === 'SUCCESS' ? body : undefined;
    },
    30_000,
    'success after lease expiry',
  );
  expect(
    (done.history as { workerId: string; outcome: string }[]).map((a) => [a.workerId, a.outcome]),
  ).toEqual([
    ['doomed', 'lease_expired'],
    ['survivor', 'success'],
  ]);
});

test('connections force-closed, then a broker restart, during a run: no job and no event lost', async () => {
  const succeeded = await env.durableSubscription('jobs.job.succeeded.v1');
  env.spawnProcess('main', { PORT: apiPort, SERVICE_NAME: 'jr-fault' });
  env.spawnProcess('worker', { WORKER_ID: 'w1', SERVICE_NAME: 'jr-fault' });
  env.spawnProcess('worker', { WORKER_ID: 'w2', SERVICE_NAME: 'jr-fault' });
  await ready(api);

  const ids: string[] = [];
  const enqueueSome = async (count: number) => {
    for (let index = 0; index < count; index += 1) ids.push(await enqueue({ sleepMs: 20 }));
  };
  await enqueueSome(100);
  const closed = await closeConnectionsNamed('jr-fault-');
  expect(closed).toBeGreaterThanOrEqual(3);
  await enqueueSome(100);

  await rabbitmqctl(['stop_app']);
  try {
    // The API still takes jobs while the broker is down: they wait in the outbox.
    await enqueueSome(20);
  } finally {
    await rabbitmqctl(['start_app']);
  }
  await enqueueSome(30);

  const jobs = await env.jobs();
  await waitFor(
    async () => (await jobs.countDocuments({ status: 'SUCCESS' })) === ids.length,
    120_000,
    'all succeed',
  );
  await waitFor(
    async () => (await jobs.countDocuments({ 'outbox.0': { $exists: true } })) === 0,
    30_000,
    'outboxes empty',
  );
  // Every job's succeeded event is in the subscriber's durable queue (duplicates are allowed:
  // delivery is at least once).
  const events = await succeeded.read();
  expect(new Set(events.map((event) => event.payload.jobId))).toEqual(new Set(ids));
});

test('the API SIGKILLed between a state write and its event publish: the event goes out after restart', async () => {
  const queued = await env.durableSubscription('jobs.job.queued.v1');
  const first = env.spawnProcess('main', { PORT: apiPort });
  await ready(api);
  await rabbitmqctl(['stop_app']);
  let id: string;
  try {
    // Written to MongoDB with its queued event in the outbox; the broker is down, so it waits.
    id = await enqueue();
    const jobs = await env.jobs();
    const pending = await jobs.findById(id).lean();
    expect(pending?.outbox.map((entry) => entry.routingKey)).toContain('jobs.job.queued.v1');
    first.kill('SIGKILL');
    await exited(first);
  } finally {
    await rabbitmqctl(['start_app']);
  }
  env.spawnProcess('main', { PORT: apiPort });
  await ready(api);
  const events: ReceivedEvent[] = [];
  await waitFor(
    async () => {
      events.push(...(await queued.read()));
      return events.some((event) => event.payload.jobId === id);
    },
    30_000,
    'queued event after restart',
  );
});

test('/readyz reports the broker: 503 while it is down, 200 once the connection has come back', async () => {
  const inProcess = await env.startApi();
  const readyz = async () => (await fetch(`${inProcess}/readyz`)).status;
  expect(await readyz()).toBe(200);
  await rabbitmqctl(['stop_app']);
  try {
    await waitFor(async () => (await readyz()) === 503, 30_000, 'readyz 503');
    const { body } = await getJson(`${inProcess}/readyz`);
    expect(body.checks.broker).toMatch(/disconnected/);
    expect(body.checks.mongo).toBe('ok');
  } finally {
    await rabbitmqctl(['start_app']);
  }
  await waitFor(async () => (await readyz()) === 200, 60_000, 'readyz 200 after the broker is back');
});
