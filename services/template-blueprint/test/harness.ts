import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Lifecycle } from '@delivery/service-kit';
import {
  createIsolatedVhost,
  type EnvOverrides,
  requiredEnv,
  ServiceTestEnv,
  uniqueName,
} from '@delivery/testing';
import pino from 'pino';
import { startApi } from '../src/api.js';
import { apiConfigSchema, workerConfigSchema } from '../src/config.js';
import { createGenerators, type Generator, type GeneratorName } from '../src/generators/index.js';
import { type RunModel, runModel } from '../src/store/run-model.js';
import { type TemplateModel, templateModel } from '../src/store/template-model.js';
import { startWorker } from '../src/worker-runtime.js';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const serviceDir = fileURLToPath(new URL('..', import.meta.url));

/** Short timings, so retries, leases and the sweeper act within a test's patience. */
const FAST = {
  SWEEP_INTERVAL_MS: 100,
  LEASE_MS: 3_000,
  HEARTBEAT_MS: 500,
  RETRY_BASE_MS: 100,
  RETRY_MAX_MS: 1_000,
  DEFER_MS: 300,
  WORKER_DRAIN_MS: 1_000,
};

/** A template-blueprint environment of one test file: its vhost, its database, its processes. */
export class BlueprintEnv extends ServiceTestEnv {
  static override async create(): Promise<BlueprintEnv> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), 'blueprints');
    return new BlueprintEnv(vhost, uniqueName('blueprints'), FAST);
  }

  /** The API in this process; returns its base URL. */
  async startApi(overrides: EnvOverrides = {}): Promise<string> {
    const config = apiConfigSchema.parse(this.env(overrides));
    const lifecycle = new Lifecycle({ logger: silentLogger, drainTimeoutMs: 2_000, exit: () => undefined });
    this.onClose(() => lifecycle.shutdown('test done'));
    const server: Server = await startApi(config, lifecycle, silentLogger);
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  /**
   * A generator worker in this process, for what a child process cannot be given: its own clock
   * (e.g. one running behind the API's) or generators a test watches (rules only by default).
   */
  async startWorker(
    overrides: EnvOverrides = {},
    clock?: () => Date,
    generators: Partial<Record<GeneratorName, Generator>> = createGenerators(),
  ): Promise<void> {
    const config = workerConfigSchema.parse(this.env(overrides));
    const lifecycle = new Lifecycle({ logger: silentLogger, drainTimeoutMs: 2_000, exit: () => undefined });
    this.onClose(() => lifecycle.shutdown('test done'));
    await startWorker(config, lifecycle, silentLogger, generators, clock);
  }

  /** A generator worker as its own OS process, as in production. */
  spawnWorker(overrides: EnvOverrides = {}): ChildProcess {
    return this.spawn(serviceDir, 'src/worker.ts', overrides);
  }

  spawnApi(overrides: EnvOverrides = {}): ChildProcess {
    return this.spawn(serviceDir, 'src/main.ts', overrides);
  }

  async runs(): Promise<RunModel> {
    return runModel(await this.database());
  }

  async templates(): Promise<TemplateModel> {
    return templateModel(await this.database());
  }
}

/** A template as a project manager would write one. */
export function sampleTemplate(name = 'Website relaunch') {
  return {
    name,
    description: 'Relaunch of a marketing website',
    content: {
      fields: [
        { key: 'client_name', label: 'Client name', type: 'text', required: true },
        { key: 'launch_date', label: 'Launch date', type: 'date', required: true },
        { key: 'budget', label: 'Budget', type: 'number', required: false, validation: { min: 0 } },
      ],
      artifacts: [
        { name: 'design.pdf', contentType: 'application/pdf', maxSizeBytes: 10_000_000, required: true },
        {
          name: 'junit.xml',
          contentType: ['application/xml', 'text/xml'],
          maxSizeBytes: 5_000_000,
          required: true,
        },
      ],
      stages: {
        '3_build': { tasks: [{ key: 'build_site', title: 'Build the site' }], checks: [] },
        '4_test': { tasks: [], checks: [{ key: 'lighthouse', title: 'Lighthouse score above 90' }] },
      },
    },
  };
}
