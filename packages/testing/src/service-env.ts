import { type ChildProcess, spawn } from 'node:child_process';
import { EVENTS_EXCHANGE } from '@delivery/contracts';
import amqp from 'amqplib';
import mongoose, { type Connection } from 'mongoose';
import { testKeys } from './identity.js';
import { uniqueName } from './isolation.js';
import { createIsolatedVhost, type IsolatedVhost } from './vhost.js';

export type EnvOverrides = Record<string, string | number>;

/**
 * One isolated environment for a service's tests: its own RabbitMQ vhost on the shared broker
 * and its own database on the shared MongoDB (both from jest's globalSetup), processes it spawns,
 * and everything removed again by `close()`. Test files using one each can run in parallel.
 */
export class ServiceTestEnv {
  private readonly children = new Set<ChildProcess>();
  private readonly cleanups: (() => Promise<unknown>)[] = [];
  private connection: Connection | undefined;

  protected constructor(
    readonly vhost: IsolatedVhost,
    readonly mongoDb: string,
    private readonly defaults: EnvOverrides,
  ) {}

  static async create(prefix: string, defaults: EnvOverrides = {}): Promise<ServiceTestEnv> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), prefix);
    return new ServiceTestEnv(vhost, uniqueName(prefix), defaults);
  }

  /** Variables every process of this environment gets (the service's config). */
  env(overrides: EnvOverrides = {}): Record<string, string> {
    const values = {
      MONGO_URL: requiredEnv('MONGO_URL'),
      MONGO_DB: this.mongoDb,
      AMQP_URL: this.vhost.url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PORT: '0',
      // Workers serve their probes and metrics there: any free port, so several run side by side.
      METRICS_PORT: '0',
      // The services and the stand-ins they call (executors, owners, LLMs) all listen on loopback,
      // which the egress policy refuses unless allowed explicitly. Egress tests override these.
      EGRESS_ALLOWED_HOSTS: '127.0.0.1,localhost',
      EGRESS_ALLOW_PRIVATE: '127.0.0.0/8,::1',
      // Every service trusts the test keys; a service that calls others gets its signing key
      // from its harness's defaults (IDENTITY_SIGNING_KEY: testKeys.signingKeyJson(name)).
      IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson(),
      ...this.defaults,
      ...overrides,
    };
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
  }

  /** Runs `node --import tsx <entry>` in `cwd`, as `npm start` does. */
  spawn(cwd: string, entry: string, overrides: EnvOverrides = {}): ChildProcess {
    return this.spawnNode(cwd, ['--import', 'tsx', entry], overrides);
  }

  /** Runs `node <args>` in `cwd` with this environment's variables (e.g. a compiled entry, as containers do). */
  spawnNode(cwd: string, args: string[], overrides: EnvOverrides = {}): ChildProcess {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...this.env(overrides) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // With TEST_LOG_LEVEL set, a child's logs (stdout) and errors show beside the test's own.
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        if (process.env.TEST_LOG_LEVEL) process.stderr.write(chunk);
      });
    }
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** A connection to this environment's database, for assertions on stored state. */
  async database(): Promise<Connection> {
    this.connection ??= await mongoose
      .createConnection(requiredEnv('MONGO_URL'), { dbName: this.mongoDb })
      .asPromise();
    return this.connection;
  }

  /** Runs at close(), in reverse order of registration. */
  onClose(cleanup: () => Promise<unknown>): void {
    this.cleanups.push(cleanup);
  }

  /** An exclusive queue bound to the events exchange, collecting what a subscriber would get. */
  async subscribe(pattern: string) {
    const connection = await amqp.connect(this.vhost.url);
    const channel = await connection.createChannel();
    await assertEventsExchange(channel);
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, pattern);
    const received: { routingKey: string; body: ReceivedEvent }[] = [];
    await channel.consume(queue, (message) => {
      if (!message) return;
      received.push({ routingKey: message.fields.routingKey, body: JSON.parse(message.content.toString()) });
      channel.ack(message);
    });
    this.onClose(() => connection.close());
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
    await assertEventsExchange(channel);
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, pattern);
    await connection.close();
    return {
      read: async () =>
        (await this.drain(queue)).map((message) => JSON.parse(message.content.toString()) as ReceivedEvent),
    };
  }

  /** Reads and removes what is in a queue of this vhost. */
  drain(queue: string): Promise<amqp.GetMessage[]> {
    return drainQueue(this.vhost.url, queue);
  }

  /** Publishes an event to this vhost's events exchange, as a service's outbox relay would. */
  async publishEvent(routingKey: string, envelope: unknown): Promise<void> {
    const connection = await amqp.connect(this.vhost.url);
    const channel = await connection.createConfirmChannel();
    await assertEventsExchange(channel);
    channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from(JSON.stringify(envelope)), { persistent: true });
    await channel.waitForConfirms();
    await connection.close();
  }

  /** Publishes raw bytes to a queue of this vhost, as any producer (or a broken one) would. */
  async sendRaw(queue: string, bodies: unknown[]): Promise<void> {
    const connection = await amqp.connect(this.vhost.url);
    const channel = await connection.createConfirmChannel();
    for (const body of bodies) {
      channel.sendToQueue(queue, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), {
        persistent: true,
      });
    }
    await channel.waitForConfirms();
    await connection.close();
  }

  async close(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
    if (this.connection) {
      await this.connection.dropDatabase();
      await this.connection.close();
    }
    await this.vhost.delete();
  }
}

/** Reads (and removes) every message currently in a queue, without a consumer. */
export async function drainQueue(amqpUrl: string, queue: string): Promise<amqp.GetMessage[]> {
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createChannel();
  const messages: amqp.GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (!message) break;
    messages.push(message);
  }
  await connection.close();
  return messages;
}

export interface ReceivedEvent {
  id: string;
  type: string;
  correlationId: string;
  payload: Record<string, unknown> & { jobId?: string };
}

async function assertEventsExchange(channel: amqp.Channel): Promise<void> {
  // Declared exactly as the services declare it (see packages/messaging/src/topology.ts).
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', {
    durable: true,
    alternateExchange: `${EVENTS_EXCHANGE}.unrouted`,
  });
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest's globalSetup`);
  return value;
}
