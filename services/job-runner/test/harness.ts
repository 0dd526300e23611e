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
import type { JobHandler, JobKinds } from '../src/handlers/handler.js';
import { type JobModel, jobModel } from '../src/store/job-model.js';
import { startWorker } from '../src/worker-runtime.js';

export { exited, freePort, getJson, postJson, ready, waitFor } from '@delivery/testing';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const serviceDir = fileURLToPath(new URL('..', import.meta.url));

/** Short timings, so retries, leases and the scheduler act within a test's patience. */
const FAST = {
  SCHEDULER_INTERVAL_MS: 100,
  BACKOFF_BASE_MS: 100,
  BACKOFF_MAX_MS: 2_000,
  LEASE_MS: 3_000,
  HEARTBEAT_MS: 500,
  WORKER_DRAIN_MS: 500,
};

/** A job-runner environment of one test file: its vhost, its database, its processes. */
export class JobRunnerEnv extends ServiceTestEnv {
  static override async create(): Promise<JobRunnerEnv> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), 'jobs');
    return new JobRunnerEnv(vhost, uniqueName('jobs'), FAST);
  }

  /** The API in this process; returns its base URL. */
  async startApi(overrides: EnvOverrides = {}, kinds?: JobKinds): Promise<string> {
    const config = apiConfigSchema.parse(this.env(overrides));
    const server: Server = await startApi(config, this.lifecycle(), silentLogger, kinds);
    const { port } = server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  /** A worker in this process, with the handlers (and, if given, the clock) a test gives it. */
  async startWorker(
    handlers: Record<string, JobHandler>,
    overrides: EnvOverrides = {},
    clock?: () => Date,
  ): Promise<void> {
    const config = workerConfigSchema.parse(this.env(overrides));
    await startWorker(config, this.lifecycle(), silentLogger, handlers, clock);
  }

  /** A real job-runner process (`main` or `worker`), as `npm start` and Kubernetes run it. */
  spawnProcess(entry: 'main' | 'worker', overrides: EnvOverrides = {}): ChildProcess {
    return this.spawn(serviceDir, `src/${entry}.ts`, overrides);
  }

  async jobs(): Promise<JobModel> {
    return jobModel(await this.database());
  }

  private lifecycle(): Lifecycle {
    const lifecycle = new Lifecycle({ logger: silentLogger, drainTimeoutMs: 2_000, exit: () => undefined });
    this.onClose(() => lifecycle.shutdown('test done'));
    return lifecycle;
  }
}
