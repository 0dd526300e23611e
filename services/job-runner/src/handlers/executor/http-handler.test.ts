import { setTimeout as sleep } from 'node:timers/promises';
import { createEgressClient, createEgressPolicy, type EgressPolicyInput } from '@delivery/service-kit/egress';
import { sendHugeBody, sendJson, startTestServer, type TestServer } from '@delivery/testing';
import { loopbackEgress } from '../fixtures/egress.js';
import { contextFor } from '../fixtures/job.js';
import { PermanentJobError } from '../handler.js';
import { createHttpHandler } from './http-handler.js';

let server: TestServer;
let down = false;
const egress = loopbackEgress();
/** Whether the 10 MB answer was sent whole, or cut off because the worker stopped reading. */
let hugeEnded: Promise<'finished' | 'cut off'> | undefined;

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    switch (req.path) {
      case '/run':
        return sendJson(res, 200, {
          status: 'succeeded',
          result: { deployed: JSON.parse(req.body || 'null') },
        });
      case '/review':
        return sendJson(res, 202, { status: 'needs_human', reason: 'approve the canary first' });
      case '/plain':
        return sendJson(res, 200, { hello: 'world' });
      case '/invalid':
        return sendJson(res, 422, { error: 'environment is required' });
      case '/broken':
        return sendJson(res, 500, { error: 'db down' });
      case '/busy':
        return sendJson(res, 429, { error: 'slow down' });
      case '/slow':
        return; // never answers
      case '/huge':
        hugeEnded = sendHugeBody(res);
        return;
      case '/elsewhere':
        res.writeHead(307, { location: `${server.url.replace('127.0.0.1', 'localhost')}/run` });
        return void res.end();
      case '/flaky':
        return down
          ? sendJson(res, 503, { error: 'maintenance' })
          : sendJson(res, 200, { status: 'succeeded' });
      default:
        return sendJson(res, 404, {});
    }
  });
});

afterAll(async () => {
  await egress.close();
  await server.close();
});

const hits = (path: string) => server.requests.filter((r) => r.path === path).length;

describe('http handler', () => {
  const handler = createHttpHandler({ egress });

  it('posts the body with correlation and idempotency headers and returns the executor result', async () => {
    const result = await handler(contextFor('http', { url: `${server.url}/run`, body: { env: 'staging' } }));
    expect(result).toEqual({ outcome: 'success', result: { deployed: { env: 'staging' } } });
    const sent = server.requests.find((r) => r.path === '/run');
    expect(sent).toMatchObject({
      method: 'POST',
      headers: {
        'x-correlation-id': 'corr-1',
        'idempotency-key': 'job-http-1',
        'content-type': 'application/json',
      },
    });
  });

  it('ends in needs_human when the executor asks for a person', async () => {
    await expect(handler(contextFor('http', { url: `${server.url}/review` }))).resolves.toEqual({
      outcome: 'needs_human',
      reason: 'approve the canary first',
    });
  });

  it('treats any other 2xx body as success', async () => {
    await expect(handler(contextFor('http', { url: `${server.url}/plain`, method: 'GET' }))).resolves.toEqual(
      {
        outcome: 'success',
        result: { hello: 'world' },
      },
    );
  });

  it('fails permanently on a 4xx, with the executor explanation', async () => {
    const run = handler(contextFor('http', { url: `${server.url}/invalid` }));
    await expect(run).rejects.toBeInstanceOf(PermanentJobError);
    await expect(run).rejects.toThrow(/answered HTTP 422: \{"error":"environment is required"\}/);
  });

  it('retries a 5xx and a 429', async () => {
    for (const path of ['/broken', '/busy']) {
      const run = handler(contextFor('http', { url: `${server.url}${path}` }));
      await expect(run).rejects.toThrow(/answered HTTP (500|429)/);
      await expect(run).rejects.not.toBeInstanceOf(PermanentJobError);
    }
  });

  it('times out a slow executor with a retryable error', async () => {
    const started = Date.now();
    const run = handler(contextFor('http', { url: `${server.url}/slow`, timeoutMs: 150 }));
    await expect(run).rejects.toThrow(/did not answer within 150ms/);
    await expect(run).rejects.not.toBeInstanceOf(PermanentJobError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rejects an invalid payload permanently', async () => {
    const run = handler(
      contextFor('http', { url: 'ftp://x', method: 'GET', body: {}, timeoutMs: 10_000_000 }),
    );
    await expect(run).rejects.toBeInstanceOf(PermanentJobError);
    await expect(run).rejects.toThrow(/url: .*timeoutMs: /);
  });

  it('stops when the job is aborted, without waiting for the timeout', async () => {
    const controller = new AbortController();
    const run = handler(
      contextFor('http', { url: `${server.url}/slow`, timeoutMs: 10_000 }, controller.signal),
    );
    setTimeout(() => controller.abort(new Error('job canceled')), 50);
    await expect(run).rejects.toThrow('job canceled');
  });
});

describe('http handler egress', () => {
  const refusedBy = async (policy: EgressPolicyInput, url: string) => {
    const strict = createEgressClient({ policy: createEgressPolicy(policy), maxBodyBytes: 1024 * 1024 });
    try {
      const run = createHttpHandler({ egress: strict })(contextFor('http', { url }));
      await expect(run).rejects.toBeInstanceOf(PermanentJobError);
      return await run.catch((err: Error) => err.message);
    } finally {
      await strict.close();
    }
  };

  it('refuses an executor on loopback unless EGRESS_ALLOW_PRIVATE allows it, without calling it', async () => {
    const before = hits('/plain');
    await expect(refusedBy({ allowedHosts: ['127.0.0.1'] }, `${server.url}/plain`)).resolves.toBe(
      'egress refused: 127.0.0.1 (loopback) for host 127.0.0.1; allow it in EGRESS_ALLOW_PRIVATE',
    );
    expect(hits('/plain')).toBe(before);
    await expect(
      createHttpHandler({ egress })(contextFor('http', { url: `${server.url}/plain` })),
    ).resolves.toMatchObject({ outcome: 'success' });
    expect(hits('/plain')).toBe(before + 1);
  });

  it('refuses a hostname that resolves to a loopback address', async () => {
    const url = `${server.url.replace('127.0.0.1', 'localhost')}/plain`;
    await expect(refusedBy({ allowedHosts: ['localhost'] }, url)).resolves.toMatch(
      /^egress refused: (127\.0\.0\.1|::1) \(loopback\) for host localhost/,
    );
  });

  it('refuses a host that is not allowed, and calls nothing when nothing is allowed', async () => {
    const before = hits('/plain');
    await expect(
      refusedBy(
        { allowedHosts: ['executor.internal.example'], allowPrivate: ['127.0.0.0/8'] },
        `${server.url}/plain`,
      ),
    ).resolves.toMatch(/^egress refused: host 127\.0\.0\.1:\d+ is not in EGRESS_ALLOWED_HOSTS$/);
    await expect(refusedBy({}, `${server.url}/plain`)).resolves.toMatch(/not in EGRESS_ALLOWED_HOSTS/);
    expect(hits('/plain')).toBe(before);
  });

  it('refuses to follow a redirect to a host that is not allowed', async () => {
    const before = hits('/run');
    await expect(
      refusedBy(
        { allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.0/8', '::1'] },
        `${server.url}/elsewhere`,
      ),
    ).resolves.toMatch(/^egress refused: host localhost:\d+ is not in EGRESS_ALLOWED_HOSTS$/);
    expect(hits('/run')).toBe(before);
  });

  it('fails permanently on a 10 MB answer, reading no further than the cap', async () => {
    const run = createHttpHandler({ egress })(
      contextFor('http', { url: `${server.url}/huge`, method: 'GET' }),
    );
    await expect(run).rejects.toBeInstanceOf(PermanentJobError);
    await expect(run).rejects.toThrow(`response body over ${1024 * 1024} bytes from ${server.url}/huge`);
    await expect(hugeEnded).resolves.toBe('cut off');
  });
});

describe('http handler breaker', () => {
  it('opens after repeated failures, fails fast without calling the executor, and closes again', async () => {
    const handler = createHttpHandler({
      egress,
      breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 1_000 },
    });
    const call = () => handler(contextFor('http', { url: `${server.url}/flaky` }));
    down = true;
    await expect(call()).rejects.toThrow(/HTTP 503/);
    await expect(call()).rejects.toThrow(/HTTP 503/);
    expect(hits('/flaky')).toBe(2);

    const open = call();
    await expect(open).rejects.toThrow(/circuit breaker for 127\.0\.0\.1:\d+ is open/);
    await expect(open).rejects.not.toBeInstanceOf(PermanentJobError);
    expect(hits('/flaky')).toBe(2);

    down = false;
    await sleep(1_100);
    // Half-open: one trial call goes through, succeeds, and closes the breaker.
    await expect(call()).resolves.toMatchObject({ outcome: 'success' });
    await expect(call()).resolves.toMatchObject({ outcome: 'success' });
    expect(hits('/flaky')).toBe(4);
  });

  it('keeps one breaker per host: an open breaker does not affect another executor', async () => {
    const handler = createHttpHandler({ egress, breaker: { volumeThreshold: 1, resetTimeoutMs: 10_000 } });
    down = true;
    await expect(handler(contextFor('http', { url: `${server.url}/flaky` }))).rejects.toThrow(/HTTP 503/);
    await expect(handler(contextFor('http', { url: `${server.url}/flaky` }))).rejects.toThrow(/is open/);
    const sameServerOtherHost = server.url.replace('127.0.0.1', 'localhost');
    await expect(handler(contextFor('http', { url: `${sameServerOtherHost}/run` }))).resolves.toMatchObject({
      outcome: 'success',
    });
    down = false;
  });

  it('does not count 4xx answers against the executor', async () => {
    const handler = createHttpHandler({ egress, breaker: { volumeThreshold: 1 } });
    for (let i = 0; i < 3; i++) {
      await expect(handler(contextFor('http', { url: `${server.url}/invalid` }))).rejects.toThrow(/HTTP 422/);
    }
    expect(hits('/invalid')).toBeGreaterThanOrEqual(4);
  });
});
