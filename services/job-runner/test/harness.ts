import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Lifecycle } from '@delivery/service-kit';
import { createIsolatedVhost, type IsolatedVhost, uniqueName } from '@delivery/testing';
import amqp from 'amqplib';
import mongoose, { type Connection } from 'mongoose';
import pino from 'pino';
import { startApi } from '../src/api.js';
import { apiConfigSchema, workerConfigSchema } from '../src/config.js';
import type { JobHandler } from '../src/handlers/handler.js';
import { type JobModel, jobModel } from '../src/store/job-model.js';
import { EVENTS_EXCHANGE } from '../src/topology.js';
import { startWorker } from '../src/worker-runtime.js';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const serviceDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * One isolated job-runner environment per test file: its own vhost on the shared broker and its
 * own database on the shared MongoDB, both removed at the end.
 */
export class JobRunnerEnv {
  private readonly lifecycles: Lifecycle[] = [];
  private readonly children = new Set<ChildProcess>();
  private connection: Connection | undefined;

  private constructor(
    readonly vhost: IsolatedVhost,
    readonly mongoDb: string,
  ) {}

  static async create(): Promise<JobRunnerEnv> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), 'jobs');
    return new JobRunnerEnv(vhost, uniqueName('jobs'));
  }

  /** Variables every job-runner process of this environment gets. */
  env(overrides: Record<string, string | number> = {}): Record<string, string> {
    return {
      MONGO_URL: requiredEnv('MONGO_URL'),
      MONGO_DB: this.mongoDb,
      AMQP_URL: this.vhost.url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PORT: '0',
      SCHEDULER_INTERVAL_MS: '100',
      BACKOFF_BASE_MS: '100',
      BACKOFF_MAX_MS: '2000',
      LEASE_MS: '3000',
      HEARTBEAT_MS: '500',
      ...Object.fromEntries(Object.entries(overrides).map(([key, value]) => [key, String(value)])),
    };
  }

  /** The API in this process; returns its base URL. */
  async startApi(
    overrides: Record<string, string | number> = {},
    kinds?: readonly string[],
  ): Promise<string> {
    const config = apiConfigSchema.parse(this.env(overrides));
    const server: Server = await startApi(config, this.lifecycle(), silentLogger, kinds);
    const { port } = server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  /** A worker in this process, with the handlers a test gives it. */
  async startWorker(handlers: Record<string, JobHandler>, overrides: Record<string, string | number> = {}) {
    const config = workerConfigSchema.parse(this.env(overrides));
    await startWorker(config, this.lifecycle(), silentLogger, handlers);
  }

  /** A real job-runner process (`main` or `worker`), as `npm start` and Kubernetes run it. */
  spawn(entry: 'main' | 'worker', overrides: Record<string, string | number> = {}): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/${entry}.ts`], {
      cwd: serviceDir,
      env: { ...process.env, ...this.env(overrides) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (process.env.TEST_LOG_LEVEL) process.stderr.write(chunk);
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  async jobs(): Promise<JobModel> {
    this.connection ??= await mongoose
      .createConnection(requiredEnv('MONGO_URL'), { dbName: this.mongoDb })
      .asPromise();
    return jobModel(this.connection);
  }

  /** A queue in this vhost bound to the events exchange: what a subscriber would receive. */
  async subscribe(pattern: string) {
    const connection = await amqp.connect(this.vhost.url);
    const channel = await connection.createChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', {
      durable: true,
      alternateExchange: `${EVENTS_EXCHANGE}.unrouted`,
    });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, pattern);
    const received: { routingKey: string; body: { id: string; payload: Record<string, unknown> } }[] = [];
    await channel.consume(queue, (message) => {
      if (!message) return;
      received.push({ routingKey: message.fields.routingKey, body: JSON.parse(message.content.toString()) });
      channel.ack(message);
    });
    this.onCleanup(() => connection.close());
    return received;
  }

  /**
   * A durable queue bound to the events exchange: unlike `subscribe`, it keeps events across a
   * broker restart or a cut connection, so a test can check afterwards that none was lost.
   */
  async durableSubscription(pattern: string) {
    const queue = `test-subscriber.${pattern}`;
    const connection = await amqp.connect(this.vhost.url);
    const channel = await connection.createChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', {
      durable: true,
      alternateExchange: `${EVENTS_EXCHANGE}.unrouted`,
    });
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, pattern);
    await connection.close();
    return {
      read: async () =>
        (await this.drain(queue)).map(
          (message) => JSON.parse(message.content.toString()) as { id: string; payload: { jobId: string } },
        ),
    };
  }

  /** Reads and removes what is in a queue of this vhost. */
  async drain(queue: string): Promise<amqp.GetMessage[]> {
    const connection = await amqp.connect(this.vhost.url);
    const channel = await connection.createChannel();
    const messages: amqp.GetMessage[] = [];
    for (
      let message = await channel.get(queue, { noAck: true });
      message;
      message = await channel.get(queue, { noAck: true })
    ) {
      messages.push(message);
    }
    await connection.close();
    return messages;
  }

  async close(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    for (const lifecycle of this.lifecycles.reverse()) await lifecycle.shutdown('test done');
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
    if (this.connection) {
      await this.connection.dropDatabase();
      await this.connection.close();
    }
    await this.vhost.delete();
  }

  private readonly cleanups: (() => Promise<unknown>)[] = [];
  private onCleanup(cleanup: () => Promise<unknown>) {
    this.cleanups.push(cleanup);
  }

  private lifecycle(): Lifecycle {
    const lifecycle = new Lifecycle({ logger: silentLogger, drainTimeoutMs: 2_000, exit: () => undefined });
    this.lifecycles.push(lifecycle);
    return lifecycle;
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest's globalSetup`);
  return value;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Resolves once a spawned process answers /readyz. */
export async function ready(baseUrl: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => (await fetch(`${baseUrl}/readyz`).catch(() => undefined))?.ok,
    timeoutMs,
    `${baseUrl} to be ready`,
  );
}

export async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
