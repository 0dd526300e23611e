import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { correlationId, createLogger, errorMapper } from '@delivery/service-kit';
import { mongoUrlForDatabase, uniqueName } from '@delivery/testing';
import express from 'express';
import mongoose, { type Connection } from 'mongoose';
import { hashPassword } from '../src/domain/passwords.js';
import { authRoutes } from '../src/http/auth-routes.js';
import { AccountStore } from '../src/store/account-store.js';
import { AuditLog } from '../src/store/audit-log.js';
import { gatewayModels } from '../src/store/models.js';
import { SessionStore } from '../src/store/session-store.js';

// Sign-in attempts per client address are limited before any password is checked, on top of the
// per-account lockout (which the system test covers).
let connection: Connection;
let server: Server;
let base: string;

beforeAll(async () => {
  connection = await mongoose
    .createConnection(mongoUrlForDatabase(process.env.MONGO_URL as string, uniqueName('gw_login')))
    .asPromise();
  const models = gatewayModels(connection);
  const accounts = new AccountStore(models.users);
  await accounts.createFirstAdmin('ann@example.com', await hashPassword('the right password'));
  const app = express();
  app.use(correlationId(createLogger('login-rate-test', { level: 'silent' })));
  app.use(express.json());
  app.use(
    authRoutes({
      accounts,
      sessions: new SessionStore(models.sessions, { ttlMinutes: 60, idleMinutes: 60 }),
      audit: new AuditLog(models.audit),
      lockout: { maxFailures: 100, lockMinutes: 1 },
      sessionTtlMinutes: 60,
      cookieSecure: false,
      loginAttemptsPerMinute: 3,
    }),
  );
  app.use(errorMapper);
  server = app.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await connection.dropDatabase();
  await connection.close();
});

const login = (email: string, password: string) =>
  fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

test('past the attempts one address may make in a minute, sign-in answers 429 whatever the password', async () => {
  const statuses = [];
  for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
    statuses.push((await login(email, 'guess')).status);
  }
  expect(statuses).toEqual([401, 401, 401]);
  const limited = await login('ann@example.com', 'the right password');
  expect(limited.status).toBe(429);
  expect(await limited.json()).toMatchObject({ error: 'too_many_attempts' });
  expect(limited.headers.get('ratelimit-policy')).toMatch(/; q=3; w=60;/);
  // Nothing was recorded for the refused attempt.
  const audit = await gatewayModels(connection).audit.countDocuments({ action: 'login_succeeded' });
  expect(audit).toBe(0);
});
