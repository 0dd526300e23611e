import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { correlationId, createLogger, errorMapper } from '@delivery/service-kit';
import { mongoUrlForDatabase, uniqueName } from '@delivery/testing';
import express from 'express';
import mongoose, { type Connection } from 'mongoose';
import { hashPassword } from '../src/domain/passwords.js';
import { authRoutes } from '../src/http/auth-routes.js';
import { SignInThrottle } from '../src/http/sign-in-throttle.js';
import { AccountStore } from '../src/store/account-store.js';
import { ApiKeyStore } from '../src/store/api-key-store.js';
import { AuditLog } from '../src/store/audit-log.js';
import { LoginThrottleStore } from '../src/store/login-throttle-store.js';
import { gatewayModels } from '../src/store/models.js';
import { SessionStore } from '../src/store/session-store.js';

// Sign-in in process on a real store: the per-address attempt limit, whatever the accounts tried.
// (Throttling per account and address: sign-in-throttle.test.ts.)
let connection: Connection;
const servers: Server[] = [];

beforeAll(async () => {
  connection = await mongoose
    .createConnection(mongoUrlForDatabase(process.env.MONGO_URL as string, uniqueName('gw_login')))
    .asPromise();
  await new AccountStore(gatewayModels(connection).users).createFirstAdmin(
    'ann@example.com',
    await hashPassword('the right password'),
  );
});
afterAll(async () => {
  for (const server of servers) server.close();
  await connection.dropDatabase();
  await connection.close();
});

function startSignIn({ attemptsPerMinute }: { attemptsPerMinute: number }) {
  const models = gatewayModels(connection);
  const logger = createLogger('login-test', { level: 'silent' });
  const audit = new AuditLog(models.audit);
  const app = express();
  app.use(correlationId(logger));
  app.use(express.json());
  app.use(
    authRoutes({
      accounts: new AccountStore(models.users),
      sessions: new SessionStore(models.sessions, { ttlMinutes: 60, idleMinutes: 60 }),
      keys: new ApiKeyStore(models.apiKeys),
      audit,
      throttle: new SignInThrottle(
        new LoginThrottleStore(models.loginThrottles),
        {
          freeFailures: 100,
          baseDelayMs: 1_000,
          maxDelayMs: 60_000,
          accountCeiling: 100,
          windowMs: 3_600_000,
        },
        audit,
        logger,
      ),
      sessionTtlMinutes: 60,
      cookieSecure: false,
      loginAttemptsPerMinute: attemptsPerMinute,
    }),
  );
  app.use(errorMapper);
  const server = app.listen(0);
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return (email: string, password: string) =>
    fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
}

test('past the attempts one address may make in a minute, sign-in answers 429 whatever the password', async () => {
  const login = startSignIn({ attemptsPerMinute: 3 });
  const statuses = [];
  for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
    statuses.push((await login(email, 'guess')).status);
  }
  expect(statuses).toEqual([401, 401, 401]);
  const limited = await login('ann@example.com', 'the right password');
  expect(limited.status).toBe(429);
  expect(await limited.json()).toMatchObject({ error: 'too_many_attempts' });
  expect(limited.headers.get('ratelimit-policy')).toMatch(/; q=3; w=60;/);
  expect(await gatewayModels(connection).audit.countDocuments({ action: 'login_succeeded' })).toBe(0);
});
