import { mongoUrlForDatabase, startTestServer, type TestServer, uniqueName } from '@delivery/testing';
import { exampleAuth, freePort, spawnExample, untilListening } from './example-process.js';

/** Traces leave the process only when an OTLP endpoint is configured; then HTTP spans reach it. */
let collector: TestServer;

beforeAll(async () => {
  collector = await startTestServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{}');
  });
});
afterAll(() => collector.close());

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, the HTTP request spans are exported to it', async () => {
  const port = await freePort();
  const example = spawnExample({
    PORT: String(port),
    MONGO_URL: mongoUrlForDatabase(process.env.MONGO_URL as string, uniqueName('telemetry')),
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
  });
  try {
    await untilListening(example);
    expect((await fetch(`http://127.0.0.1:${port}/slow?ms=1`, { headers: exampleAuth() })).status).toBe(200);
    example.child.kill('SIGTERM'); // shutdown flushes the batch of spans
    expect(await example.exited).toBe(0);
    const exported = collector.requests.filter((request) => request.path === '/v1/traces');
    expect(exported.length).toBeGreaterThan(0);
    const body = exported.map((request) => request.body).join('\n');
    expect(body).toContain('/slow');
    expect(body).toContain('"example"');
  } finally {
    example.child.kill('SIGKILL');
  }
});

test("with tracing on, a request's log lines carry its trace and span ids; probes and scrapes log at debug", async () => {
  const port = await freePort();
  const example = spawnExample({
    PORT: String(port),
    LOG_LEVEL: 'debug',
    MONGO_URL: mongoUrlForDatabase(process.env.MONGO_URL as string, uniqueName('telemetry')),
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
  });
  try {
    await untilListening(example);
    expect((await fetch(`http://127.0.0.1:${port}/slow?ms=1`, { headers: exampleAuth() })).status).toBe(200);
    for (const probe of ['/healthz', '/readyz', '/metrics']) {
      expect((await fetch(`http://127.0.0.1:${port}${probe}`)).status).toBe(200);
    }
    example.child.kill('SIGTERM');
    expect(await example.exited).toBe(0);
    const requests = example
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; path?: string; level: number; trace_id?: string })
      .filter((line) => line.msg === 'request');
    const byPath = new Map(requests.map((line) => [line.path, line]));
    expect(byPath.get('/slow')).toMatchObject({
      level: 30,
      route: '/slow',
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    for (const probe of ['/healthz', '/readyz', '/metrics'])
      expect(byPath.get(probe)).toMatchObject({ level: 20 });
  } finally {
    example.child.kill('SIGKILL');
  }
});
