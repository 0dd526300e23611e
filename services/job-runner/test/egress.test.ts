import { createIdentityVerifier } from '@delivery/service-kit/identity';
import {
  type ReceivedEvent,
  sendHugeBody,
  sendJson,
  startTestServer,
  type TestServer,
  testKeys,
} from '@delivery/testing';
import { jobDeadLetteredCommand } from '../src/domain/job-commands.js';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

/**
 * The egress policy as a real worker process applies it, configured from its environment: loopback
 * is allowed for the name `localhost` only, so the same executor is reachable by that name and
 * refused by its bare address, also when a redirect leads there. A second server stands for a
 * platform service, reachable only through PLATFORM_SERVICE_URLS.
 */
let env: JobRunnerEnv;
let api: string;
let executor: TestServer;
let platform: TestServer;
let byName: string;
let platformByName: string;
let events: { routingKey: string; body: ReceivedEvent }[];

beforeAll(async () => {
  executor = await startTestServer((req, res) => {
    if (req.path === '/huge') return void sendHugeBody(res);
    if (req.path === '/redirect') return void res.writeHead(307, { location: `${executor.url}/ok` }).end();
    if (req.path.startsWith('/fail')) return void sendJson(res, 500, { error: 'executor broke' });
    if (req.path === '/blueprint') return void sendJson(res, 200, { requiredArtifacts: [] });
    sendJson(res, 200, { status: 'succeeded', result: { path: req.path } });
  });
  platform = await startTestServer((req, res) => {
    if (req.path === '/api/templates/t1/blueprint') return void sendJson(res, 200, { requiredArtifacts: [] });
    if (req.path === '/api/elsewhere')
      return void res.writeHead(307, { location: `${byName}/blueprint` }).end();
    sendJson(res, 200, { status: 'succeeded', result: { replayed: true } });
  });
  byName = executor.url.replace('127.0.0.1', 'localhost');
  platformByName = platform.url.replace('127.0.0.1', 'localhost');
  const executorPort = new URL(executor.url).port;
  env = await JobRunnerEnv.create();
  events = await env.subscribe('jobs.job.#');
  api = await env.startApi();
  env.spawnProcess('worker', {
    EGRESS_ALLOWED_HOSTS: `127.0.0.1:${executorPort},localhost:${executorPort}`,
    EGRESS_ALLOW_PRIVATE: 'localhost',
    PLATFORM_SERVICE_URLS: `template-blueprint=${platformByName}`,
  });
});
afterAll(async () => {
  await env.close();
  await executor.close();
  await platform.close();
});

let sequence = 0;
async function runHttpJob(url: string, method = 'GET') {
  return runJob('http', { url, method });
}

async function runJob(kind: string, payload: Record<string, unknown>) {
  sequence += 1;
  const created = await postJson(`${api}/jobs`, {
    projectId: 'p-egress',
    stage: '3_build',
    kind,
    idempotencyKey: `egress-${sequence}`,
    payload,
    maxAttempts: 1,
  });
  expect(created.status).toBe(201);
  return waitFor(
    async () => {
      const { body } = await getJson(`${api}/jobs/${created.body.id}`);
      return ['SUCCESS', 'FAILED'].includes(body.status) ? body : undefined;
    },
    60_000,
    `job ${created.body.id} to finish`,
  );
}

const hits = (path: string) => executor.requests.filter((r) => r.path === path).length;

test('an allowed executor is called', async () => {
  await expect(runHttpJob(`${byName}/ok`)).resolves.toMatchObject({
    status: 'SUCCESS',
    result: { path: '/ok' },
  });
});

test('a loopback address nobody allowed fails the job at once, naming the address, without a call', async () => {
  const before = hits('/ok');
  const job = await runHttpJob(`${executor.url}/ok`);
  expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
  expect(job.error).toBe(
    'PermanentJobError: egress refused: 127.0.0.1 (loopback) for host 127.0.0.1; allow it in EGRESS_ALLOW_PRIVATE',
  );
  expect(hits('/ok')).toBe(before);
});

test('a redirect from an allowed executor to a refused address fails the job', async () => {
  const before = hits('/ok');
  const job = await runHttpJob(`${byName}/redirect`);
  expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
  expect(job.error).toMatch(/egress refused: 127\.0\.0\.1 \(loopback\) for host 127\.0\.0\.1/);
  expect(hits('/redirect')).toBe(1);
  expect(hits('/ok')).toBe(before);
});

test('a 10 MB answer fails the job for good instead of leaving it running', async () => {
  const job = await runHttpJob(`${byName}/huge`);
  expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
  expect(job.error).toBe(`PermanentJobError: response body over ${1024 * 1024} bytes from ${byName}/huge`);
});

test('an http job cannot reach a platform service, which build jobs still read from', async () => {
  const job = await runHttpJob(`${platformByName}/dead-letters/job-runner.dead-letter/replay`, 'POST');
  expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
  expect(job.error).toMatch(
    /^PermanentJobError: egress refused: host localhost:\d+ is not in EGRESS_ALLOWED_HOSTS$/,
  );
  expect(platform.requests).toEqual([]);

  const build = await runJob('build', {
    artifacts: [],
    blueprintUrl: `${platformByName}/api/templates/t1/blueprint`,
  });
  expect(build).toMatchObject({ status: 'SUCCESS' });
  expect(platform.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/templates/t1/blueprint']);
});

test("a platform service's read carries job-runner's token for it; no other host ever gets a token", async () => {
  const fromPlatform = await runJob('build', {
    artifacts: [],
    blueprintUrl: `${platformByName}/api/templates/t1/blueprint`,
  });
  expect(fromPlatform).toMatchObject({ status: 'SUCCESS' });
  const read = platform.requests.at(-1);
  const token = String(read?.headers.authorization).replace(/^Bearer /, '');
  const templateBlueprint = createIdentityVerifier({
    publicKeys: testKeys.publicKeys(),
    audience: 'template-blueprint',
  });
  expect(await templateBlueprint.verify(token)).toEqual({
    kind: 'service',
    id: 'job-runner',
    name: 'job-runner',
    roles: ['service'],
  });

  // The same read from an allowed host that is no platform service, directly and by a redirect
  // from the platform service, and an http job's call: none carries a token.
  const elsewhere = await runJob('build', { artifacts: [], blueprintUrl: `${byName}/blueprint` });
  expect(elsewhere).toMatchObject({ status: 'SUCCESS' });
  const redirected = await runJob('build', {
    artifacts: [],
    blueprintUrl: `${platformByName}/api/elsewhere`,
  });
  expect(redirected).toMatchObject({ status: 'SUCCESS' });
  expect(platform.requests.at(-1)?.headers.authorization).toMatch(/^Bearer /);
  await expect(runHttpJob(`${byName}/ok`)).resolves.toMatchObject({ status: 'SUCCESS' });
  expect(hits('/blueprint')).toBe(2);
  expect(executor.requests.length).toBeGreaterThan(0);
  expect(executor.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
});

describe('credentials in an executor URL stay out of job errors, history, events and dead letters', () => {
  const SECRETS = /hunter2|s3cr3t/;
  /** Every command drained from the dead-letter queue so far (draining takes them all). */
  const deadLetters: string[] = [];

  async function expectNoSecretsAfterFailure(job: { id: string; error: string; history: unknown[] }) {
    expect(job.error).not.toMatch(SECRETS);
    expect(JSON.stringify(job.history)).not.toMatch(SECRETS);
    const failed = await waitFor(
      () =>
        events.find(
          (event) => event.routingKey.startsWith('jobs.job.failed') && event.body.payload.jobId === job.id,
        ),
      20_000,
      `failed event of ${job.id}`,
    );
    expect(JSON.stringify(failed)).not.toMatch(SECRETS);
    const parked = await waitFor(
      async () => {
        for (const message of await env.drain(jobDeadLetteredCommand.queue)) {
          deadLetters.push(message.content.toString());
        }
        return deadLetters.find((text) => text.includes(job.id));
      },
      20_000,
      `dead-letter command of ${job.id}`,
    );
    expect(parked).not.toMatch(SECRETS);
  }

  test('an executor answering 500 to a URL with a query token', async () => {
    const job = await runHttpJob(`${byName}/fail?token=s3cr3t`, 'POST');
    expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(job.error).toBe(
      `Error: executor POST ${byName}/fail?token=*** answered HTTP 500: {"error":"executor broke"}`,
    );
    await expectNoSecretsAfterFailure(job);
  });

  test('a URL with userinfo is refused for good, without a call', async () => {
    const before = executor.requests.length;
    const job = await runHttpJob(`${byName.replace('//', '//bot:hunter2@')}/fail?token=s3cr3t`, 'POST');
    expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(job.error).toBe(
      `PermanentJobError: egress refused: credentials in the URL ${byName}/fail?token=*** are not sent; use a header`,
    );
    expect(executor.requests.length).toBe(before);
    await expectNoSecretsAfterFailure(job);
  });
});
