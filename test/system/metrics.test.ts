import {
  exited,
  familyNames,
  getJson,
  type MetricsPage,
  postJson,
  requestJson,
  SseClient,
  samplesOf,
  scrapeMetrics,
  sumOf,
  userToken,
  waitFor,
} from '@delivery/testing';
import { namedMetrics, PROMETHEUS_OWN_METRICS } from '../deploy/monitoring-files.js';
import { BrowserSession } from './gateway-client.js';
import { junitReport, projectsClient, ZIP } from './projects-client.js';
import { SYSTEM_ADMIN, SYSTEM_PROCESSES, SystemEnv, type SystemUrls } from './system-env.js';

// The whole system, every process scraped as Prometheus scrapes it, after one project went from
// sale to complete (through a gate, with a live-event stream open at the gateway): each metric the
// alerts and the dashboard name is on some process's page, and those the flow must move moved.

type Process = (typeof SYSTEM_PROCESSES)[number];

let env: SystemEnv;
let urls: SystemUrls;
const QA = { id: 'qa-1', name: 'Quinn', roles: ['qa_lead'] };

beforeAll(async () => {
  env = await SystemEnv.create();
  urls = await env.start();
  // A gate before the build, so an approval waits for a while.
  const gate = { required: true, point: 'before', approverRoles: ['qa_lead'], approvalsNeeded: 1 };
  const set = await requestJson('PUT', `${urls.hitl}/gates/config`, {
    stages: { '3_build': { ...gate, expiresAfterMinutes: 60, allowSelfApproval: false } },
  });
  expect(set.status).toBe(200);
}, 120_000);
afterAll(() => env.close());

const metricsUrl = (name: Process): string =>
  `${
    {
      gateway: urls.gateway,
      pipeline: urls.pipeline,
      hitl: urls.hitl,
      'job-runner': urls.jobRunner,
      'job-runner-worker': urls.jobRunnerWorker,
      'template-blueprint': urls.blueprints,
      'template-blueprint-worker': urls.blueprintWorker,
    }[name]
  }/metrics`;

const scrape = (name: Process) => scrapeMetrics(metricsUrl(name));

/** Scrapes `name` until `check` holds: gauges read from a store are cached for a few seconds. */
const untilScraped = (name: Process, check: (page: MetricsPage) => boolean, what: string) =>
  waitFor(
    async () => {
      const page = await scrape(name);
      return check(page) && page;
    },
    30_000,
    `${name}: ${what}`,
    500,
  );

const counted = (page: MetricsPage, name: string, labels: Record<string, string> = {}) =>
  sumOf(page, name, labels) ?? 0;

let pages: Record<Process, MetricsPage>;
let projectId: string;

test('after one project, every process shows its metrics moving', async () => {
  const { publishedTemplateWithBlueprint, create, throughAssignment, untilStage, upload, pipelineOf } =
    projectsClient(urls);

  // A person at the gateway: signed in, the live events open.
  const admin = new BrowserSession(urls.gateway);
  expect((await admin.login(SYSTEM_ADMIN.email, SYSTEM_ADMIN.password)).status).toBe(200);
  const stream = await SseClient.open(urls.gateway, '', { cookie: admin.cookie as string });
  try {
    await stream.until((frame) => frame.event === 'ready', 'the stream to open');
    await untilScraped('gateway', (page) => sumOf(page, 'delivery_live_event_streams') === 1, 'one stream');

    projectId = await create(await publishedTemplateWithBlueprint(), 'Measured site');
    await throughAssignment(projectId);
    expect((await upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip')).status).toBe(201);

    // The approval waits: hitl counts it, its age, and how long until it expires.
    await untilStage(projectId, '3_build', 'awaiting_approval');
    const waiting = await untilScraped(
      'hitl',
      (page) => sumOf(page, 'delivery_approvals_pending', { stage: '3_build' }) === 1,
      'one approval pending',
    );
    expect(sumOf(waiting, 'delivery_approvals_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    const expiresIn = sumOf(waiting, 'delivery_approvals_next_expiry_seconds');
    expect(expiresIn).toBeGreaterThan(50 * 60);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60);
    const approvalId = await waitFor(
      async () => (await pipelineOf(projectId)).stages['3_build'].approvalId as string | null,
      30_000,
      'the approval id in the project',
    );
    expect(
      (await postJson(`${urls.hitl}/approvals/${approvalId}/approve`, {}, { token: userToken(QA) })).status,
    ).toBe(200);

    await untilStage(projectId, '4_test', 'blocked');
    await untilScraped(
      'hitl',
      (page) => sumOf(page, 'delivery_approvals_pending', { stage: '3_build' }) === 0,
      'the approval decided',
    );
    expect(
      (await upload(projectId, 'test-reports', junitReport(), 'TEST-1.xml', 'application/xml')).status,
    ).toBe(201);
    await untilStage(projectId, '5_defect_validation', 'needs_human');
    // A job waits for a person: the job-runner counts it by state and kind.
    await untilScraped(
      'job-runner',
      (page) => sumOf(page, 'delivery_jobs', { state: 'NEEDS_HUMAN', kind: 'defect_validation' }) === 1,
      'a defect validation job waiting for a person',
    );
    const defects = (await getJson(`${urls.pipeline}/projects/${projectId}`)).body.outputs['4_test']
      .defects as {
      fingerprint: string;
    }[];
    const decisions = Object.fromEntries(defects.map((defect) => [defect.fingerprint, 'confirmed']));
    expect(
      (await postJson(`${urls.pipeline}/projects/${projectId}/resume`, { input: { decisions } })).status,
    ).toBe(200);
    await untilStage(projectId, '6_complete', 'succeeded');
    await untilScraped(
      'job-runner',
      (page) => sumOf(page, 'delivery_jobs', { state: 'NEEDS_HUMAN', kind: 'defect_validation' }) === 0,
      'the defect validation job resumed',
    );
    // And through the gateway, as the web app asks.
    expect((await admin.request('GET', `/api/projects/${projectId}`)).status).toBe(200);

    pages = Object.fromEntries(
      await Promise.all(SYSTEM_PROCESSES.map(async (name) => [name, await scrape(name)] as const)),
    ) as Record<Process, MetricsPage>;
  } finally {
    stream.close();
  }
  // The stream, once it ended, is counted as a request of its route.
  await untilScraped(
    'gateway',
    (page) =>
      sumOf(page, 'delivery_live_event_streams') === 0 &&
      counted(page, 'delivery_http_requests_total', { route: '/api/events' }) === 1,
    'the stream closed and counted',
  );

  for (const name of SYSTEM_PROCESSES) {
    const page = pages[name];
    // Every process: its name, its own resources, its readiness checks, its dead letters.
    expect({ name, info: sumOf(page, 'delivery_process_info', { process: name }) }).toEqual({
      name,
      info: 1,
    });
    expect({ name, cpu: counted(page, 'process_cpu_seconds_total') > 0 }).toEqual({ name, cpu: true });
    for (const metric of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
      expect({ name, metric, present: page.types.has(metric) }).toEqual({ name, metric, present: true });
    }
    const checks = samplesOf(page, 'delivery_readiness_check');
    expect({ name, checks: checks.map((sample) => sample.labels.check).sort() }).toEqual({
      name,
      checks: expect.arrayContaining(['broker', 'mongo']),
    });
    expect({ name, failing: checks.filter((sample) => sample.value !== 1) }).toEqual({
      name,
      failing: [],
    });
    // The gateway has no durable queue: live events go through a queue of its own that dies with it.
    const deadLetters = samplesOf(page, 'delivery_dead_letter_messages');
    expect({
      name,
      queues: deadLetters.length > 0 || name === 'gateway',
      waiting: deadLetters.filter((sample) => sample.value > 0),
    }).toEqual({ name, queues: true, waiting: [] });
    // Routes by their contract path, never a URL with an id in it.
    const routes = samplesOf(page, 'delivery_http_requests_total').map((sample) => sample.labels.route ?? '');
    expect({ name, raw: routes.filter((route) => route.includes(projectId)) }).toEqual({
      name,
      raw: [],
    });
  }

  const { gateway, pipeline, hitl } = pages;
  expect(counted(gateway, 'delivery_http_requests_total', { route: '/api/auth/login', status: '200' })).toBe(
    1,
  );
  expect(
    counted(gateway, 'delivery_http_requests_total', { route: '/api/projects/:id', status: '200' }),
  ).toBe(1);
  expect(
    counted(gateway, 'delivery_http_request_duration_seconds_count', { route: '/api/projects/:id' }),
  ).toBe(1);
  expect(sumOf(gateway, 'delivery_breaker_state', { breaker: 'upstream pipeline' })).toBe(0);

  expect(
    counted(pipeline, 'delivery_http_requests_total', { route: '/projects/:id/pipeline', status: '200' }),
  ).toBeGreaterThan(0);
  expect(
    counted(pipeline, 'delivery_messages_consumed_total', { queue: 'pipeline.triggers' }),
  ).toBeGreaterThan(0);
  expect(
    counted(pipeline, 'delivery_message_handling_duration_seconds_count', { queue: 'pipeline.triggers' }),
  ).toBeGreaterThan(0);
  expect(sumOf(pipeline, 'delivery_messages_retried_total', { queue: 'pipeline.triggers' })).toBe(0);
  expect(sumOf(pipeline, 'delivery_breaker_state', { breaker: 'hitl' })).toBe(0);
  expect(samplesOf(pipeline, 'delivery_outbox_pending_documents').length).toBeGreaterThan(0);
  expect(samplesOf(pipeline, 'delivery_outbox_oldest_age_seconds').length).toBeGreaterThan(0);

  expect(counted(hitl, 'delivery_messages_consumed_total', { queue: 'hitl.gate.evaluate' })).toBeGreaterThan(
    0,
  );
  expect(
    counted(hitl, 'delivery_http_requests_total', { route: '/approvals/:id/approve', status: '200' }),
  ).toBe(1);

  expect(
    counted(pages['job-runner'], 'delivery_messages_consumed_total', { queue: 'job-runner.enqueue' }),
  ).toBe(3);
  for (const kind of ['build', 'test', 'defect_validation']) {
    expect(
      samplesOf(pages['job-runner'], 'delivery_jobs', { kind })
        .map((sample) => sample.labels.state)
        .sort(),
    ).toEqual(['NEEDS_HUMAN', 'QUEUED', 'RUNNING']);
    expect(
      sumOf(pages['job-runner'], 'delivery_jobs_oldest_queued_age_seconds', { kind }),
    ).toBeGreaterThanOrEqual(0);
  }

  const worker = pages['job-runner-worker'];
  expect(
    counted(worker, 'delivery_messages_consumed_total', { queue: 'job-runner.dispatch' }),
  ).toBeGreaterThan(0);
  expect(counted(worker, 'delivery_job_duration_seconds_count', { kind: 'build', outcome: 'success' })).toBe(
    1,
  );
  expect(counted(worker, 'delivery_job_duration_seconds_count', { kind: 'test', outcome: 'success' })).toBe(
    1,
  );
  expect(
    counted(worker, 'delivery_job_duration_seconds_count', {
      kind: 'defect_validation',
      outcome: 'needs_human',
    }),
  ).toBe(1);
  // The build read the artifact from the pipeline through the breaker of the pipeline's host.
  expect(
    samplesOf(worker, 'delivery_breaker_state').filter((sample) =>
      sample.labels.breaker?.startsWith('owner:'),
    ),
  ).not.toEqual([]);

  expect(
    counted(pages['template-blueprint'], 'delivery_http_requests_total', {
      route: '/api/templates',
      status: '201',
    }),
  ).toBe(1);
  expect(
    counted(pages['template-blueprint-worker'], 'delivery_messages_consumed_total', {
      queue: 'template-blueprint.generate',
    }),
  ).toBe(1);
}, 180_000);

test('every metric the alerts and the dashboard name is on some process page', () => {
  expect(pages).toBeDefined();
  const exported = new Set(Object.values(pages).flatMap((page) => [...familyNames(page)]));
  const missing = [...namedMetrics()]
    .filter(([metric]) => !exported.has(metric) && !PROMETHEUS_OWN_METRICS.has(metric))
    .map(([metric, where]) => `${metric} (${where.join(', ')})`);
  expect(missing).toEqual([]);
});

test('a worker told to stop exits cleanly, its probe port closing with it', async () => {
  for (const name of ['job-runner-worker', 'template-blueprint-worker'] as const) {
    const child = env.processes.get(name);
    if (!child) throw new Error(`no ${name} process`);
    child.kill('SIGTERM');
    expect({ name, code: await exited(child) }).toEqual({ name, code: 0 });
    await expect(fetch(metricsUrl(name))).rejects.toThrow();
  }
}, 60_000);
