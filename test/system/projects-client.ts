import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { authHeaders, getJson, postJson, requestJson, waitFor } from '@delivery/testing';
import type { SystemUrls } from './system-env.js';

/** A template with one onboarding field and one required artifact, as the flows below use it. */
export const websiteTemplate = {
  name: 'Website',
  content: {
    fields: [
      { key: 'domain', label: 'Domain', type: 'url', required: true },
      { key: 'pages', label: 'Pages', type: 'number', required: true, validation: { min: 1, max: 50 } },
    ],
    artifacts: [
      { name: 'site.zip', contentType: 'application/zip', maxSizeBytes: 1_000_000, required: true },
    ],
  },
};

export const ZIP = Buffer.from('PK\u0003\u0004 a zipped site');

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../services/job-runner/src/handlers/fixtures/${name}`, import.meta.url));
/** A JUnit report with failing cases (each becomes a defect to decide). */
export const junitReport = () => readFileSync(fixture('TEST-com.acme.orders.OrderServiceTest.xml'));

/** What a person does to projects, through the services' APIs (the default test token: admin, operator, manager). */
export function projectsClient(urls: SystemUrls) {
  const pipelineOf = async (projectId: string) =>
    (await getJson(`${urls.pipeline}/projects/${projectId}/pipeline`)).body;
  // While a test restarts the pipeline, a look may find nobody there: look again.
  const lookAt = (projectId: string) => pipelineOf(projectId).catch(() => undefined);

  return {
    pipelineOf,

    async publishedTemplateWithBlueprint(): Promise<string> {
      const created = await postJson(`${urls.blueprints}/api/templates`, websiteTemplate);
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await postJson(`${urls.blueprints}/api/templates/${id}/publish`)).status).toBe(200);
      const run = await postJson(`${urls.blueprints}/api/templates/${id}/blueprint/generate`);
      expect(run.status).toBe(202);
      await waitFor(
        async () =>
          (await getJson(`${urls.blueprints}/api/blueprint-runs/${run.body.id}`)).body.status === 'succeeded',
        30_000,
        'the blueprint run',
      );
      return id;
    },

    async create(templateId: string, name = 'Acme site'): Promise<string> {
      const created = await postJson(`${urls.pipeline}/projects`, { name, client: 'Acme', templateId });
      expect(created.status).toBe(201);
      return created.body.id as string;
    },

    async upload(
      projectId: string,
      kind: 'artifacts' | 'test-reports',
      bytes: Buffer,
      name: string,
      type: string,
    ) {
      const form = new FormData();
      if (kind === 'artifacts') form.append('name', name);
      form.append('file', new Blob([bytes], { type }), name);
      const response = await fetch(`${urls.pipeline}/projects/${projectId}/${kind}`, {
        method: 'POST',
        headers: authHeaders(),
        body: form,
      });
      return { status: response.status, body: await response.json() };
    },

    // Long enough for a job on a loaded machine (the suite runs three system files at once).
    async untilStage(projectId: string, stage: string, status: string, timeoutMs = 90_000, intervalMs = 100) {
      return waitFor(
        async () => {
          const view = await lookAt(projectId);
          return view?.currentStage === stage && view.stageStatus === status && view;
        },
        timeoutMs,
        `${projectId} at ${stage} ${status}`,
        intervalMs,
      );
    },

    /** Sale, onboarding and assignment: what takes a new project to its build stage. */
    async throughAssignment(projectId: string): Promise<void> {
      expect((await postJson(`${urls.pipeline}/projects/${projectId}/sale`, {})).status).toBe(200);
      const saved = await requestJson('PUT', `${urls.pipeline}/projects/${projectId}/onboarding`, {
        answers: { domain: 'https://acme.example', pages: 5 },
      });
      expect(saved.status).toBe(200);
      expect((await postJson(`${urls.pipeline}/projects/${projectId}/assignment/auto`)).status).toBe(200);
    },
  };
}
