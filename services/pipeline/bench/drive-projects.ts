import type { SystemEnv, SystemUrls } from '../../../test/system/system-env.js';

const ZIP = Buffer.from('PK\u0003\u0004 bench');
const REPORT = '<testsuite name="bench" tests="1"><testcase name="ok"/></testsuite>';
const TEMPLATE = {
  name: 'Bench template',
  content: {
    fields: [{ key: 'domain', label: 'Domain', type: 'url', required: true }],
    artifacts: [
      { name: 'site.zip', contentType: 'application/zip', maxSizeBytes: 1_000_000, required: true },
    ],
  },
};

export interface ProjectsRun {
  seconds: number;
  latencyMs: { p50: number; p99: number };
}

/**
 * Creates P projects and gives each, up front, every fact its stages need (sale, answers,
 * assignee, artifact, test report), so that from then on only the orchestrator moves it: each
 * stage's job is enqueued as soon as the one before it succeeded. Returns how long all took and
 * the latency between one stage's job finishing and the next one's being created.
 */
export async function runProjects(
  env: SystemEnv,
  urls: SystemUrls,
  count: number,
  inFlight: number,
  auth: Record<string, string>,
): Promise<ProjectsRun> {
  const json = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const upload = async (
    projectId: string,
    path: string,
    bytes: Buffer | string,
    name: string,
    type: string,
  ) => {
    const form = new FormData();
    if (path === 'artifacts') form.append('name', name);
    form.append('file', new Blob([bytes], { type }), name);
    const response = await fetch(`${urls.pipeline}/projects/${projectId}/${path}`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    if (!response.ok) throw new Error(`upload: HTTP ${response.status} ${await response.text()}`);
  };

  const template = await json('POST', `${urls.blueprints}/api/templates`, TEMPLATE);
  await json('POST', `${urls.blueprints}/api/templates/${template.id}/publish`);
  const run = await json('POST', `${urls.blueprints}/api/templates/${template.id}/blueprint/generate`);
  while ((await json('GET', `${urls.blueprints}/api/blueprint-runs/${run.id}`)).status !== 'succeeded') {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const completed = await env.subscribe('pipeline.project.completed.v1');
  const started = Date.now();
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const project = await json('POST', `${urls.pipeline}/projects`, {
        name: `Bench ${index}`,
        client: 'Bench',
        templateId: template.id,
      });
      const id = project.id as string;
      ids.push(id);
      await upload(id, 'artifacts', ZIP, 'site.zip', 'application/zip');
      await upload(id, 'test-reports', REPORT, 'TEST-bench.xml', 'application/xml');
      await json('PUT', `${urls.pipeline}/projects/${id}/assignment`, {
        assignees: [{ id: 'dev-1', name: 'Devi' }],
      });
      await json('PUT', `${urls.pipeline}/projects/${id}/onboarding`, {
        answers: { domain: 'https://a.example' },
      });
      await json('POST', `${urls.pipeline}/projects/${id}/sale`, {});
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  while (new Set(completed.map((event) => event.body.payload.projectId)).size < count) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (Date.now() - started) / 1000;

  const jobs = (await env.database())
    .useDb(`${env.mongoDb}-jobs`)
    .collection<{ idempotencyKey: string; createdAt: Date; finishedAt: Date | null }>('job_runs');
  const latencies: number[] = [];
  for (const id of ids) {
    const found = await jobs.find({ projectId: id }).toArray();
    const byStage = new Map(found.map((job) => [job.idempotencyKey.split(':')[1], job]));
    for (const [before, after] of [
      ['3_build', '4_test'],
      ['4_test', '5_defect_validation'],
    ] as const) {
      const done = byStage.get(before)?.finishedAt;
      const enqueued = byStage.get(after)?.createdAt;
      if (done && enqueued) latencies.push(enqueued.getTime() - done.getTime());
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { seconds, latencyMs: { p50: at(0.5), p99: at(0.99) } };
}
