import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { correlationId, createLogger, errorMapper } from '@delivery/service-kit';
import { mongoUrlForDatabase, uniqueName } from '@delivery/testing';
import express from 'express';
import mongoose, { type Connection } from 'mongoose';
import { hashPassword } from '../src/domain/passwords.js';
import { authRoutes } from '../src/http/auth-routes.js';
import { AccountStore } from '../src/store/account-store.js';
import { ApiKeyStore } from '../src/store/api-key-store.js';
import { AuditLog } from '../src/store/audit-log.js';
import { gatewayModels } from '../src/store/models.js';
import { SessionStore } from '../src/store/session-store.js';

// Sign-in in process on a real store: the per-address attempt limit, and the per-account lockout
// under parallel guesses.
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

function startSignIn({ attemptsPerMinute, maxFailures }: { attemptsPerMinute: number; maxFailures: number }) {
  const models = gatewayModels(connection);
  const app = express();
  app.use(correlationId(createLogger('login-test', { level: 'silent' })));
  app.use(express.json());
  app.use(
    authRoutes({
      accounts: new AccountStore(models.users),
      sessions: new SessionStore(models.sessions, { ttlMinutes: 60, idleMinutes: 60 }),
      keys: new ApiKeyStore(models.apiKeys),
      audit: new AuditLog(models.audit),
      lockout: { maxFailures, lockMinutes: 10 },
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
  const login = startSignIn({ attemptsPerMinute: 3, maxFailures: 100 });
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

test('parallel wrong passwords each count: the account is locked, and the right password is refused', async () => {
  const login = startSignIn({ attemptsPerMinute: 1000, maxFailures: 5 });
  const guesses = await Promise.all(Array.from({ length: 30 }, () => login('ann@example.com', 'a guess')));
  expect(guesses.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
  const right = await login('ann@example.com', 'the right password');
  expect(right.status).toBe(429);
  expect(await right.json()).toMatchObject({ error: 'account_locked' });
  expect(await gatewayModels(connection).audit.countDocuments({ action: 'account_locked' })).toBeGreaterThan(
    0,
  );
});
