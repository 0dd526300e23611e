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
