import { readFileSync } from 'node:fs';
import { createEgressClient, createEgressPolicy } from '@delivery/service-kit/egress';
import { startTestServer, type TestServer } from '@delivery/testing';
import { loopbackEgress } from '../fixtures/egress.js';
import { contextFor } from '../fixtures/job.js';
import { PermanentJobError } from '../handler.js';
import { createHttpFetcher } from '../shared/fetcher.js';
import { createHostBreakers, type HostBreakers } from '../shared/host-breakers.js';
import { createTestHandler } from './test-handler.js';

const surefire = readFileSync(
  new URL('../fixtures/TEST-com.acme.orders.OrderServiceTest.xml', import.meta.url),
  'utf8',
);

let server: TestServer;
let breakers: HostBreakers;
let handler: ReturnType<typeof createTestHandler>;
const egress = loopbackEgress();
const smallEgress = loopbackEgress({}, 1_024);

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.path === '/reports/orders.xml') {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(surefire);
    } else if (req.path === '/reports/broken.xml') {
      res.end('<testsuite><testcase></testsuite>');
    } else if (req.path === '/reports/flaky.xml') {
      res.writeHead(503).end();
    } else {
      res.writeHead(404).end();
    }
  });
  breakers = createHostBreakers({ name: 'test', timeoutMs: 5_000, volumeThreshold: 100 });
  handler = createTestHandler({ fetcher: createHttpFetcher(breakers, egress) });
});

afterAll(async () => {
  breakers.shutdown();
  await Promise.all([egress.close(), smallEgress.close()]);
  await server.close();
});

describe('test handler', () => {
  it('ingests a downloaded report and an inline one into one summary, succeeding despite failures', async () => {
    const result = await handler(
      contextFor('test', {
        reports: [
          { name: 'orders', url: `${server.url}/reports/orders.xml` },
          { name: 'inline', xml: '<testsuite name="smoke"><testcase name="boots" time="1"/></testsuite>' },
        ],
      }),
    );
    expect(result.outcome).toBe('success');
    const { summary, defects } = result.result as { summary: Record<string, unknown>; defects: unknown[] };
    expect(summary).toMatchObject({
      tests: 7,
      passed: 3,
      failures: 2,
      errors: 1,
      skipped: 1,
      durationSeconds: 3.417,
    });
    expect(defects).toHaveLength(3);
  });

  it('fails permanently on malformed XML, naming the report', async () => {
    const run = handler(
      contextFor('test', { reports: [{ name: 'broken', url: `${server.url}/reports/broken.xml` }] }),
    );
    await expect(run).rejects.toThrow(PermanentJobError);
    await expect(
      handler(contextFor('test', { reports: [{ name: 'broken', url: `${server.url}/reports/broken.xml` }] })),
    ).rejects.toThrow(/test report broken: malformed XML/);
  });

  it('fails permanently on a missing report and an invalid payload, but retries a 5xx', async () => {
    await expect(
      handler(contextFor('test', { reports: [{ name: 'gone', url: `${server.url}/reports/gone.xml` }] })),
    ).rejects.toThrow(/cannot fetch test report gone: HTTP 404/);
    await expect(handler(contextFor('test', { reports: [{ name: 'x' }] }))).rejects.toThrow(
      /invalid test payload: reports\.0/,
    );
    const flaky = handler(
      contextFor('test', { reports: [{ name: 'flaky', url: `${server.url}/reports/flaky.xml` }] }),
    );
    await expect(flaky).rejects.toThrow(/HTTP 503/);
    await expect(flaky).rejects.not.toBeInstanceOf(PermanentJobError);
  });

  it('fails permanently on a report over the egress body cap, naming the report', async () => {
    const small = createTestHandler({ fetcher: createHttpFetcher(breakers, smallEgress) });
    const run = small(
      contextFor('test', { reports: [{ name: 'orders', url: `${server.url}/reports/orders.xml` }] }),
    );
    await expect(run).rejects.toBeInstanceOf(PermanentJobError);
    await expect(run).rejects.toThrow(
      `cannot fetch test report orders: response body over 1024 bytes from ${server.url}/reports/orders.xml`,
    );
  });

  it('refuses a report on a loopback address that is not explicitly allowed, without fetching it', async () => {
    const strict = createEgressClient({
      policy: createEgressPolicy({ allowedHosts: ['127.0.0.1'] }),
      maxBodyBytes: 1024 * 1024,
    });
    const before = server.requests.length;
    const run = createTestHandler({ fetcher: createHttpFetcher(breakers, strict) })(
      contextFor('test', { reports: [{ name: 'orders', url: `${server.url}/reports/orders.xml` }] }),
    );
    await expect(run).rejects.toBeInstanceOf(PermanentJobError);
    await expect(run).rejects.toThrow(
      'cannot fetch test report orders: egress refused: 127.0.0.1 (loopback) for host 127.0.0.1; allow it in EGRESS_ALLOW_PRIVATE',
    );
    expect(server.requests.length).toBe(before);
    await strict.close();
  });
});
