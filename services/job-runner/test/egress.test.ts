import { sendHugeBody, sendJson, startTestServer, type TestServer } from '@delivery/testing';
import { getJson, JobRunnerEnv, postJson, waitFor } from './harness.js';

/**
 * The egress policy as a real worker process applies it, configured from its environment: loopback
 * is allowed for the name `localhost` only, so the same executor is reachable by that name and
 * refused by its bare address, also when a redirect leads there.
 */
let env: JobRunnerEnv;
let api: string;
let executor: TestServer;
let byName: string;

beforeAll(async () => {
  executor = await startTestServer((req, res) => {
    if (req.path === '/huge') return void sendHugeBody(res);
    if (req.path === '/redirect') return void res.writeHead(307, { location: `${executor.url}/ok` }).end();
    sendJson(res, 200, { status: 'succeeded', result: { path: req.path } });
  });
  byName = executor.url.replace('127.0.0.1', 'localhost');
  env = await JobRunnerEnv.create();
  api = await env.startApi();
  env.spawnProcess('worker', {
    EGRESS_ALLOWED_HOSTS: '127.0.0.1,localhost',
    EGRESS_ALLOW_PRIVATE: 'localhost',
  });
});
afterAll(async () => {
  await env.close();
  await executor.close();
});

let sequence = 0;
async function runHttpJob(url: string) {
  sequence += 1;
  const created = await postJson(`${api}/jobs`, {
    projectId: 'p-egress',
    stage: '3_build',
    kind: 'http',
    idempotencyKey: `egress-${sequence}`,
    payload: { url, method: 'GET' },
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
