import { startTestServer, type TestServer, waitFor } from '@delivery/testing';
import { projectsClient, ZIP } from './projects-client.js';
import { SYSTEM_PROCESSES, SystemEnv, type SystemUrls } from './system-env.js';

// Tracing across processes: every service exports OTLP/HTTP (JSON) to a real receiver in this
// test. One trigger, an artifact upload, must come back as ONE trace with spans from every
// process it reached, each consume span the child of a publish span in another process.

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, string>;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean };
}

interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: {
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

const attributeMap = (attributes: OtlpAttribute[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, String(Object.values(value)[0])]));

/** Every span the receiver got so far, with the name of the process that sent it. */
function exportedSpans(collector: TestServer): ExportedSpan[] {
  return collector.requests
    .filter((request) => request.path === '/v1/traces')
    .flatMap((request) => (JSON.parse(request.body) as OtlpExport).resourceSpans)
    .flatMap(({ resource, scopeSpans }) => {
      const service = attributeMap(resource.attributes)['service.name'] ?? '?';
      return scopeSpans.flatMap(({ spans }) =>
        spans.map((span) => ({
          service,
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          name: span.name,
          attributes: attributeMap(span.attributes),
        })),
      );
    });
}

let env: SystemEnv;
let urls: SystemUrls;
let collector: TestServer;

beforeAll(async () => {
  collector = await startTestServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{}');
  });
  env = await SystemEnv.create();
  const telemetry = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: 200 };
  urls = await env.start(Object.fromEntries(SYSTEM_PROCESSES.map((name) => [name, telemetry])));
}, 120_000);
afterAll(async () => {
  await env?.close();
  await collector?.close();
});

test('an artifact upload yields one trace across pipeline, job-runner API, worker and back, findable by project id', async () => {
  const { publishedTemplateWithBlueprint, create, throughAssignment, untilStage, upload } =
    projectsClient(urls);
  const projectId = await create(await publishedTemplateWithBlueprint());
  await throughAssignment(projectId);
  await untilStage(projectId, '3_build', 'blocked');

  expect((await upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip')).status).toBe(201);
  await untilStage(projectId, '4_test', 'blocked');

  // The upload's own server span names the trace; wait until the build's success has come back
  // to the pipeline inside that same trace (spans arrive in batches, process by process).
  const uploadSpan = await waitFor(
    async () =>
      exportedSpans(collector).find(
        (span) =>
          span.service === 'pipeline' &&
          span.attributes['http.route'] === '/projects/:id/artifacts' &&
          span.attributes['http.request.method'] === 'POST' &&
          !span.parentSpanId,
      ),
    30_000,
    'the upload request span',
  );
  const inTrace = () => exportedSpans(collector).filter((span) => span.traceId === uploadSpan.traceId);
  const named = (service: string, name: string) =>
    inTrace().find((span) => span.service === service && span.name === name);
  // Each process exports on its own schedule: wait until the success is back in the pipeline and
  // every span that names a parent has it in the trace (what never links up fails here).
  const trace = await waitFor(
    async () => {
      const spans = inTrace();
      const ids = new Set(spans.map((span) => span.spanId));
      const linked = spans.every((span) => !span.parentSpanId || ids.has(span.parentSpanId));
      return linked && named('pipeline', 'pipeline.orchestrate job_succeeded') && spans;
    },
    30_000,
    'the build success orchestrated in the upload trace, every span linked to its parent',
  );
  expect(new Set(trace.map((span) => span.service))).toEqual(
    new Set(['pipeline', 'hitl', 'job-runner', 'job-runner-worker']),
  );
  // Every hop is there: the upload makes the build ready and hitl is asked about its gate (none
  // here, so it passes); the job-runner API takes the enqueue command, the worker takes the
  // dispatch and runs the build (which downloads the upload from the pipeline), and the pipeline
  // takes the job's success event.
  const hops = {
    uploaded: named('pipeline', 'pipeline.orchestrate artifact_upload'),
    gateAsked: named('hitl', 'hitl.gate.evaluate process'),
    gatePassed: named('pipeline', 'pipeline.orchestrate gate_passed'),
    enqueued: named('job-runner', 'job-runner.enqueue process'),
    dispatched: named('job-runner-worker', 'job-runner.dispatch process'),
    built: named('job-runner-worker', 'job.run build'),
    succeeded: named('pipeline', 'pipeline.orchestrate job_succeeded'),
  };
  for (const [hop, span] of Object.entries(hops))
    expect([hop, span?.name]).toEqual([hop, expect.any(String)]);

  // Linked through the broker headers: each consume span's parent is a publish span sent by
  // another process.
  const byId = new Map(trace.map((span) => [span.spanId, span]));
  for (const consume of trace.filter((span) => span.name.endsWith(' process'))) {
    const parent = byId.get(consume.parentSpanId ?? '');
    expect({
      consume: consume.name,
      parent: parent?.name,
      sameProcess: parent?.service === consume.service,
    }).toEqual({
      consume: consume.name,
      parent: expect.stringMatching(/ publish$/),
      sameProcess: false,
    });
  }
  expect(trace.filter((span) => !span.parentSpanId)).toEqual([uploadSpan]);

  // The project id finds it: the orchestration, the consumed job messages and the job run say it.
  for (const span of [hops.uploaded, hops.gateAsked, hops.enqueued, hops.built, hops.succeeded]) {
    expect(span?.attributes['delivery.project.id']).toBe(projectId);
  }
});
