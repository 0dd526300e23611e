import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { InFlightLeases, Lifecycle } from '@delivery/service-kit';
import {
  createIsolatedVhost,
  type EnvOverrides,
  requiredEnv,
  ServiceTestEnv,
  testKeys,
  uniqueName,
} from '@delivery/testing';
import pino from 'pino';
import { startApi } from '../src/api.js';
import { apiConfigSchema, backoffPolicy, workerConfigSchema } from '../src/config.js';
import { dispatchJobCommand } from '../src/domain/job-commands.js';
import type { JobHandler, JobKinds } from '../src/handlers/handler.js';
import { openJobRunnerRuntime } from '../src/runtime.js';
import { JobLeases } from '../src/store/job-leases.js';
import { type JobModel, jobModel } from '../src/store/job-model.js';
import { processDispatch } from '../src/worker/process-dispatch.js';
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
  // Workers sign their reads of the platform services (PLATFORM_SERVICE_URLS) with it.
  IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('job-runner'),
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

  /**
   * A worker caught in its shutdown drain while the broker still delivers to it (the moment
   * between SIGTERM and the consumer's cancel, or messages already prefetched). Returns the job
   * ids of the dispatches it received, and how to make it leave.
   */
  async startDrainingWorker(overrides: EnvOverrides = {}) {
    const config = workerConfigSchema.parse(this.env(overrides));
    const lifecycle = this.lifecycle();
    const { model, broker, written } = await openJobRunnerRuntime(config, lifecycle, silentLogger, 'worker');
    const running = new InFlightLeases();
    await running.drain(0, 0, silentLogger);
    const deps = {
      leases: new JobLeases(model, backoffPolicy(config), () => new Date(), written),
      handlers: {},
      running,
      logger: silentLogger,
      workerId: config.WORKER_ID,
      leaseMs: config.LEASE_MS,
      heartbeatMs: config.HEARTBEAT_MS,
      clockSkewAllowanceMs: config.CLOCK_SKEW_ALLOWANCE_MS,
      maxResultBytes: config.MAX_RESULT_BYTES,
    };
    const received: string[] = [];
    await broker.consume({
      queue: dispatchJobCommand.queue,
      messages: [dispatchJobCommand],
      handle: (message) => {
        received.push(message.payload.jobId);
        return processDispatch(message.payload.jobId, deps);
      },
    });
    return { received, leave: () => lifecycle.shutdown('test: draining worker leaves') };
  }

  /** A real job-runner process (`main` or `worker`), as `npm start` and Kubernetes run it. */
  spawnProcess(entry: 'main' | 'worker', overrides: EnvOverrides = {}): ChildProcess {
    return this.spawn(serviceDir, `src/${entry}.ts`, overrides);
  }

  /** A worker process whose `noop` handler ignores its AbortSignal (see stubborn-worker.ts). */
  spawnStubbornWorker(overrides: EnvOverrides = {}): ChildProcess {
    return this.spawn(serviceDir, 'test/stubborn-worker.ts', overrides);
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
