import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Lifecycle } from '@delivery/service-kit';
import {
  createIsolatedVhost,
  type EnvOverrides,
  freePort,
  ready,
  requiredEnv,
  ServiceTestEnv,
  testKeys,
  uniqueName,
} from '@delivery/testing';
import pino from 'pino';
import { startApi } from '../src/api.js';
import { configSchema } from '../src/config.js';
import { projectModel } from '../src/store/project-model.js';
import { ProjectStore } from '../src/store/project-store.js';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

// Nothing listens here: routes that would call another service answer 503 (its breaker counts it).
const NOWHERE = 'http://127.0.0.1:9';

/** The pipeline API in this process, on its own vhost and database, its upstreams unreachable. */
export class PipelineEnv extends ServiceTestEnv {
  static override async create(): Promise<PipelineEnv> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), 'pipeline');
    return new PipelineEnv(vhost, uniqueName('pipeline'), {
      PUBLIC_URL: 'http://127.0.0.1:1',
      TEMPLATE_BLUEPRINT_URL: NOWHERE,
      HITL_URL: NOWHERE,
      JOB_RUNNER_URL: NOWHERE,
      UPSTREAM_TIMEOUT_MS: 500,
      IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('pipeline'),
    });
  }

  private templateServiceUrl: string | undefined;

  /** `clock`: the API's time (the why panel's patience with an unanswered gate question reads it). */
  async startApi(overrides: EnvOverrides = {}, clock?: () => Date): Promise<{ url: string; server: Server }> {
    const upstream: EnvOverrides = this.templateServiceUrl
      ? { TEMPLATE_BLUEPRINT_URL: this.templateServiceUrl }
      : {};
    const config = configSchema.parse(this.env({ ...upstream, ...overrides }));
    const lifecycle = new Lifecycle({ logger: silentLogger, drainTimeoutMs: 2_000, exit: () => undefined });
    this.onClose(() => lifecycle.shutdown('test done'));
    const server = await startApi(config, lifecycle, silentLogger, clock);
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
  }

  /**
   * The real template-blueprint API as a process of its own (with its own database), for routes
   * that read templates; the pipeline started after this calls it. Returns its base URL.
   */
  async startTemplateService(): Promise<string> {
    const port = await freePort();
    const database = `${this.mongoDb}-blueprints`;
    this.spawn(fileURLToPath(new URL('../../template-blueprint', import.meta.url)), 'src/main.ts', {
      PORT: port,
      MONGO_DB: database,
      // Its own key, not the pipeline's this environment's defaults carry.
      IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('template-blueprint'),
    });
    this.onClose(async () => (await this.database()).useDb(database).dropDatabase());
    const url = `http://127.0.0.1:${port}`;
    await ready(url, 60_000);
    this.templateServiceUrl = url;
    return url;
  }

  /** A project stored directly (creating one through the API needs template-blueprint). */
  async project(name = 'Seeded'): Promise<string> {
    const store = new ProjectStore(projectModel(await this.database()), () => undefined);
    const created = await store.create(
      {
        name,
        client: 'Acme',
        templateId: 'template-1',
        templateVersion: 1,
        deliveryManagerId: 'dm-1',
        requireManualReview: false,
        requirements: {
          fields: [{ key: 'domain', label: 'Domain', type: 'url', required: true }],
          artifacts: [
            { name: 'site.zip', contentType: 'application/zip', maxSizeBytes: 1_000, required: true },
          ],
          blueprintRunId: 'run-1',
        },
      },
      'seed',
    );
    return created.id;
  }
}
