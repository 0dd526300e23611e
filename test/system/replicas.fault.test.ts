import type { ChildProcess } from 'node:child_process';
import { exited, waitFor } from '@delivery/testing';
import { signedInKey } from './gateway-client.js';
import { junitReport, websiteTemplate, ZIP } from './projects-client.js';
import { SYSTEM_ADMIN, SystemEnv } from './system-env.js';

// Every process of the system twice (two API processes per service, each caller given both URLs
// as an upstream list; two of each worker and consumer; two gateways), projects taken from sale to
// complete through the gateways as a script would (an API key), with a gate an admin approves on
// the way; mid-run one replica of every service, worker and gateway is SIGKILLed and NOT started
// again: the other replica carries on. Then nothing is lost (every project complete, no dead
// letter, no outbox entry left) and nothing is doubled (one job per stage generation, each stage
// transition recorded once, one approval per gate, one blueprint run per request).

/**
 * The issue asks for 100. On this 2-core machine (15 processes and the test sharing it) they take
 * about what the test prints; lower it here, with a reason, if the suite outgrows its budget.
 */
const PROJECTS = 100;
/** The projects that have reached the build stage when the replicas are killed: mid-run. */
const KILL_AFTER_AT_BUILD = Math.ceil(PROJECTS / 3);
/** One replica of each: the first of each service and worker, the second gateway (the client's other). */
const VICTIMS = [
  'pipeline',
  'hitl',
  'job-runner',
  'template-blueprint',
  'job-runner-worker',
  'template-blueprint-worker',
  'gateway-2',
] as const;
const STAGES_WITH_JOBS = ['3_build', '4_test', '5_defect_validation'] as const;
const STAGES = [
  '0_sales',
  '1_onboarding',
  '2_assignment',
  '3_build',
  '4_test',
  '5_defect_validation',
  '6_complete',
];

let env: SystemEnv;
let key: string;

beforeAll(async () => {
  env = await SystemEnv.create();
  await env.start({}, {}, { replicas: 2 });
  ({ key } = await signedInKey(env.urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password));
}, 180_000);
afterAll(() => env.close());

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes; the test asserts on them
  body: any;
}

/**
 * The gateways as a load balancer in front of them would use them: in turn, and the other one
 * when one does not take the connection. Nothing else is retried here: `settled` decides.
 */
let turn = 0;
async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  const gateways = env.replicaUrls.gateway;
  const start = turn++;
  let lastError: unknown;
  for (let offset = 0; offset < gateways.length; offset++) {
    const base = gateways[(start + offset) % gateways.length] as string;
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    // Errors of fetch come from another realm than jest's: told apart by shape, not instanceof.
    const sent = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    }).then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );
    if ('error' in sent) {
      lastError = sent.error;
      continue;
    }
    const text = await sent.response.text();
    return { status: sent.response.status, body: text ? JSON.parse(text) : undefined };
  }
  throw lastError;
}

/**
 * A request that may meet a replica dying with it in hand (the gateway then answers 503: it will
 * not send on what a replica may have acted on). Sent again until it has an answer below 500;
 * before sending again, `done` asks whether the first one took effect after all (a create or an
 * upload must not be made twice by the client). An answer of 4xx on a repeat (409: already
 * confirmed) means the first took effect.
 */
async function settled(
  send: () => Promise<Answer>,
  done?: () => Promise<Answer | undefined>,
): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const answer = await send().catch(() => undefined);
    if (answer && answer.status < 500) return answer;
    if (attempt > 300) throw new Error(`no answer below 500: ${JSON.stringify(answer)}`);
    await pause(300);
    const effect = await done?.().catch(() => undefined);
    if (effect) return effect;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pipelineOf(projectId: string) {
  const answer = await api('GET', `/api/projects/${projectId}/pipeline`).catch(() => undefined);
  return answer?.status === 200 ? answer.body : undefined;
}

function until(projectId: string, stage: string, status: string) {
  return waitFor(
    async () => {
      const view = await pipelineOf(projectId);
      return view?.currentStage === stage && view.stageStatus === status && view;
    },
    600_000,
    `${projectId} at ${stage} ${status}`,
    1_000,
  );
}

const form = (name: string, bytes: Buffer, type: string, named: boolean) => {
  const data = new FormData();
  if (named) data.append('name', name);
  data.append('file', new Blob([bytes], { type }), name);
  return data;
};

/** Uploads once: if the answer was lost, the file may be there already. */
async function upload(
  projectId: string,
  kind: 'artifacts' | 'test-reports',
  name: string,
  bytes: Buffer,
  type: string,
) {
  return settled(
    () => api('POST', `/api/projects/${projectId}/${kind}`, form(name, bytes, type, kind === 'artifacts')),
    async () => {
      const project = await api('GET', `/api/projects/${projectId}`);
      const stored = (project.body?.files ?? []).some((file: { name: string }) => file.name === name);
      return stored ? { status: 201, body: {} } : undefined;
    },
  );
}

async function approve(projectId: string, stage: string): Promise<void> {
  const view = await waitFor(
    async () => {
      const seen = await pipelineOf(projectId);
      return seen?.stages?.[stage]?.approvalId && seen;
    },
    600_000,
    `the approval of ${stage} for ${projectId}`,
    1_000,
  );
  const decided = await settled(() =>
    api('POST', `/api/approvals/${view.stages[stage].approvalId}/approve`, {}),
  );
  expect([200, 409]).toContain(decided.status);
}

let atBuild = 0;

async function flow(index: number, templateId: string): Promise<string> {
  const name = `Replicated ${index} ${env.mongoDb}`;
  const created = await settled(
    () => api('POST', '/api/projects', { name, client: 'Acme', templateId }),
    async () => {
      const found = await api('GET', `/api/projects?search=${encodeURIComponent(name)}`);
      const item = found.body?.items?.find((project: { name: string }) => project.name === name);
      return item ? { status: 201, body: item } : undefined;
    },
  );
  expect(created.status).toBe(201);
  const projectId = created.body.id as string;
  const base = `/api/projects/${projectId}`;
  await settled(() => api('POST', `${base}/sale`, {}));
  await settled(() =>
    api('PUT', `${base}/onboarding`, { answers: { domain: 'https://a.example', pages: 2 } }),
  );
  await settled(() => api('PUT', `${base}/assignment`, { assignees: [{ id: 'dev-1', name: 'Devi' }] }));
  await until(projectId, '3_build', 'blocked');
  atBuild++;
  expect((await upload(projectId, 'artifacts', 'site.zip', ZIP, 'application/zip')).status).toBe(201);
  await until(projectId, '3_build', 'awaiting_approval');
  await approve(projectId, '3_build');
  await until(projectId, '4_test', 'blocked');
  expect(
    (await upload(projectId, 'test-reports', 'TEST-1.xml', junitReport(), 'application/xml')).status,
  ).toBe(201);
  const validating = await until(projectId, '5_defect_validation', 'needs_human');
  expect(validating).toBeTruthy();
  const project = await settled(() => api('GET', base));
  const decisions = Object.fromEntries(
    (project.body.outputs['4_test'].defects as { fingerprint: string }[]).map((defect) => [
      defect.fingerprint,
      'confirmed',
    ]),
  );
  await settled(() => api('POST', `${base}/resume`, { input: { decisions } }));
  await until(projectId, '6_complete', 'succeeded');
  return projectId;
}

async function publishedTemplate(name: string): Promise<string> {
  const created = await api('POST', '/api/templates', { ...websiteTemplate, name });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await api('POST', `/api/templates/${id}/publish`)).status).toBe(200);
  return id;
}

async function generatedBlueprint(templateId: string): Promise<void> {
  const run = await api('POST', `/api/templates/${templateId}/blueprint/generate`);
  expect(run.status).toBe(202);
  await waitFor(
    async () => (await api('GET', `/api/blueprint-runs/${run.body.id}`)).body?.status === 'succeeded',
    120_000,
    'the blueprint run',
    500,
  );
}

test(`${PROJECTS} projects complete through two replicas of everything while one of each is SIGKILLed: nothing lost or doubled`, async () => {
  // A gate an admin may approve, so that hitl's replicas and the approvals take part too.
  const gate = await api('PUT', '/api/gates/config', {
    stages: {
      '3_build': {
        required: true,
        point: 'before',
        approverRoles: ['admin'],
        approvalsNeeded: 1,
        expiresAfterMinutes: 60,
        allowSelfApproval: true,
      },
    },
  });
  expect(gate.status).toBe(200);
  const templateId = await publishedTemplate('Website (replicas)');
  await generatedBlueprint(templateId);
  // Generated while its first worker is dead: the other worker runs it.
  const laterTemplateId = await publishedTemplate('Website (generated after the kills)');

  const startedAt = Date.now();
  const flows = Promise.all(Array.from({ length: PROJECTS }, (_, index) => flow(index, templateId)));
  // Mid-run: a third of the projects at their build stage, the rest behind or ahead of them.
  await waitFor(async () => atBuild >= KILL_AFTER_AT_BUILD, 600_000, 'projects at their build stage', 200);
  const killedAt = Date.now();
  const atBuildWhenKilled = atBuild;
  for (const victim of VICTIMS) {
    const child = env.processes.get(victim) as ChildProcess;
    child.kill('SIGKILL');
    await exited(child);
    await pause(500);
  }
  await generatedBlueprint(laterTemplateId);
  const projectIds = await flows;
  const seconds = (Date.now() - startedAt) / 1000;
  console.log(
    `${PROJECTS} projects sale → complete through 2 replicas of every process: ${seconds.toFixed(1)} s ` +
      `(${((PROJECTS / seconds) * 60).toFixed(1)} projects/minute); one replica of each killed ` +
      `${((killedAt - startedAt) / 1000).toFixed(1)} s in, ${atBuildWhenKilled} projects at or past their build stage then`,
  );

  // Nothing lost: every project complete, none left active, none made twice by a retried create.
  const completed = await api('GET', '/api/projects?status=completed&limit=200');
  expect(completed.body.items.map((project: { id: string }) => project.id).sort()).toEqual(
    [...projectIds].sort(),
  );
  expect((await api('GET', '/api/projects?status=active&limit=200')).body.items).toEqual([]);

  for (const projectId of projectIds) {
    // One job per stage generation, each run to success once.
    const jobs = await api('GET', `/api/jobs?projectId=${projectId}&limit=50`);
    expect(
      jobs.body.items
        .map((job: { idempotencyKey: string; status: string }) => `${job.idempotencyKey} ${job.status}`)
        .sort(),
    ).toEqual(STAGES_WITH_JOBS.map((stage) => `${projectId}:${stage}:1 SUCCESS`));
    // Each stage transition recorded once: every stage succeeded once, and no change twice.
    // Its stage changes: audit records (a save, an upload, a decision) are the person's acts,
    // which a client may repeat after losing the answer.
    const timeline = (
      (await api('GET', `/api/projects/${projectId}/timeline`)).body.items as {
        stage: string;
        generation: number;
        from: string;
        to: string;
        fact?: unknown;
      }[]
    ).filter((entry) => entry.fact === undefined);
    const changes = timeline.map((entry) => `${entry.stage}:${entry.generation} ${entry.from} → ${entry.to}`);
    expect(changes.filter((change, index) => changes.indexOf(change) !== index)).toEqual([]);
    expect(
      timeline
        .filter((entry) => entry.to === 'succeeded')
        .map((entry) => entry.stage)
        .sort(),
    ).toEqual(STAGES);
    // One approval for the one gate, granted once.
    const approvals = (await api('GET', `/api/projects/${projectId}/approvals`)).body.items as {
      stage: string;
      status: string;
    }[];
    expect(approvals.map((approval) => `${approval.stage} ${approval.status}`)).toEqual(['3_build granted']);
  }

  // One blueprint run per request.
  for (const id of [templateId, laterTemplateId]) {
    const runs = (await api('GET', `/api/templates/${id}/blueprint/runs`)).body;
    expect(runs.items.map((run: { status: string }) => run.status)).toEqual(['succeeded']);
  }

  // Nothing stuck: no dead letter anywhere, and every outbox relayed.
  for (const service of ['pipeline', 'hitl', 'job-runner', 'template-blueprint']) {
    const report = await api('GET', `/api/dead-letters/${service}`);
    expect(report.status).toBe(200);
    expect(
      report.body.queues.map((queue: { queue: string; count: number }) => `${queue.queue} ${queue.count}`),
    ).toEqual(report.body.queues.map((queue: { queue: string }) => `${queue.queue} 0`));
  }
  const connection = await env.database();
  const pendingOutbox = async () => {
    const pending: string[] = [];
    for (const db of ['pipeline', 'hitl', 'jobs', 'blueprints']) {
      const database = connection.useDb(`${env.mongoDb}-${db}`);
      for (const { name } of await database.listCollections()) {
        const count = await database.collection(name).countDocuments({ 'outbox.0': { $exists: true } });
        if (count > 0) pending.push(`${db}.${name}: ${count}`);
      }
    }
    return pending;
  };
  await waitFor(async () => (await pendingOutbox()).length === 0, 60_000, 'every outbox relayed', 500).catch(
    () => undefined,
  );
  expect(await pendingOutbox()).toEqual([]);
}, 900_000);
