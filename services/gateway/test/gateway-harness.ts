import type { AddressInfo } from 'node:net';
import { Lifecycle } from '@delivery/service-kit';
import {
  createIsolatedVhost,
  type IsolatedVhost,
  requiredEnv,
  sendJson,
  startTestServer,
  type TestServer,
  testKeys,
  uniqueName,
} from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import { pino } from 'pino';
import { startApi } from '../src/api.js';
import { configSchema } from '../src/config.js';

export const ADMIN = { email: 'admin@example.com', password: 'the admin password' } as const;

/**
 * The gateway as its process runs it (startApi: its store, its broker, its routes and probes), in
 * this test's process: real HTTP, a database and a vhost of its own, and one stand-in for every
 * service behind it.
 */
export class GatewayUnderTest {
  private constructor(
    readonly url: string,
    /** Every log line, parsed, to check what the gateway says (alerts, say). */
    readonly logs: Record<string, unknown>[],
    readonly database: Connection,
    private readonly lifecycle: Lifecycle,
    private readonly vhost: IsolatedVhost,
    private readonly upstream: TestServer,
  ) {}

  static async start(env: Record<string, string | number> = {}): Promise<GatewayUnderTest> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), 'gw_api');
    const upstream = await startTestServer((_req, res) => sendJson(res, 200, { ok: true }));
    const mongoDb = uniqueName('gw_api');
    const config = configSchema.parse({
      MONGO_URL: requiredEnv('MONGO_URL'),
      MONGO_DB: mongoDb,
      AMQP_URL: vhost.url,
      PORT: '0',
      PIPELINE_URL: upstream.url,
      HITL_URL: upstream.url,
      JOB_RUNNER_URL: upstream.url,
      TEMPLATE_BLUEPRINT_URL: upstream.url,
      IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('gateway'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Tests tell addresses apart with X-Forwarded-For from loopback.
      TRUST_PROXY: 'loopback',
      ...Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)])),
    });
    const logs: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    const lifecycle = new Lifecycle({ logger, drainTimeoutMs: 1_000, exit: () => undefined });
    const server = await startApi(config, lifecycle, logger);
    const database = await mongoose
      .createConnection(requiredEnv('MONGO_URL'), { dbName: mongoDb })
      .asPromise();
    return new GatewayUnderTest(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      logs,
      database,
      lifecycle,
      vhost,
      upstream,
    );
  }

  async close(): Promise<void> {
    await this.lifecycle.shutdown('test over');
    await this.database.dropDatabase();
    await this.database.close();
    await this.upstream.close();
    await this.vhost.delete();
  }
}

/** A JSON answer, whatever its status. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes; tests assert on them
  body: any;
  headers: Headers;
}

export async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** Signing in as a browser does, from `address` (sent as X-Forwarded-For). */
export function signIn(base: string, email: string, password: string, address = '10.0.0.1') {
  return fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email, password }),
  }).then(answerOf);
}

/** A signed-in browser: its cookie, and the CSRF token on every state-changing request. */
export class Browser {
  private constructor(
    readonly base: string,
    private cookie: string,
    private csrfToken: string,
  ) {}

  static async signIn(base: string, email: string, password: string, address?: string): Promise<Browser> {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(address ? { 'x-forwarded-for': address } : {}) },
      body: JSON.stringify({ email, password }),
    });
    const answer = await answerOf(response);
    if (answer.status !== 200) throw new Error(`sign-in as ${email}: ${answer.status}`);
    return new Browser(base, response.headers.get('set-cookie')?.split(';')[0] ?? '', answer.body.csrfToken);
  }

  async request(method: string, path: string, body?: unknown): Promise<Answer> {
    const answer = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(answerOf);
    // Changing one's password answers with a new session: its cookie and its token.
    const cookie = answer.headers.get('set-cookie')?.split(';')[0];
    if (cookie?.startsWith('sid=')) this.cookie = cookie;
    if (typeof answer.body?.csrfToken === 'string') this.csrfToken = answer.body.csrfToken;
    return answer;
  }
}

/** A script holding an API key. */
export const keyClient =
  (base: string, key: string) =>
  (method: string, path: string): Promise<Answer> =>
    fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}` } }).then(answerOf);

/** An admin invites `email` with `roles`, and the person accepts with `password`. */
export async function invite(admin: Browser, email: string, roles: string[], password: string) {
  const invited = await admin.request('POST', '/api/users', { email, name: email.split('@')[0], roles });
  if (invited.status !== 201) throw new Error(`invite ${email}: ${invited.status}`);
  const accepted = await fetch(`${admin.base}/api/auth/accept-invitation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: invited.body.invitation.token, password }),
  }).then(answerOf);
  if (accepted.status !== 200) throw new Error(`accept ${email}: ${accepted.status}`);
  return invited.body.user as { id: string; email: string };
}
