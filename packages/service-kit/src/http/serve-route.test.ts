import { once } from 'node:events';
import type { Server } from 'node:http';
import { defineRoute, json, jsonBody, ROLES } from '@delivery/contracts';
import express, { Router } from 'express';
import pino from 'pino';
import { z } from 'zod';
import { errorMapper } from './error-mapper.js';
import { serveRoute } from './serve-route.js';

// One route served from its contract on a real server; the caller's roles come from a header,
// as the services' authentication would set them.
const route = defineRoute({
  method: 'POST',
  path: '/things/:id',
  summary: 'renames a thing',
  roles: [ROLES.operator],
  params: z.object({ id: z.string().regex(/^t-\d+$/) }),
  body: jsonBody(z.object({ name: z.string().min(1) })),
  responses: { 200: json('the thing', z.object({ id: z.string(), name: z.string() })), 404: 'no such thing' },
});

const silent = pino({ level: 'silent' });
let answer: { status?: number; body?: unknown } = {};
let calls = 0;
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    const roles = String(req.get('x-roles') ?? '')
      .split(',')
      .filter(Boolean);
    req.identity = { kind: 'user', id: 'u-1', name: 'U', roles };
    req.log = silent;
    next();
  });
  const router = Router();
  serveRoute(router, route, ({ params, body }) => {
    calls += 1;
    return { status: answer.status, body: answer.body ?? { id: params.id, name: body.name } };
  });
  app.use(router);
  app.use(errorMapper);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  answer = {};
  calls = 0;
  process.env.CHECK_RESPONSES = '1';
});
afterAll(() => {
  process.env.CHECK_RESPONSES = '1';
});

const post = async (path: string, body: unknown, roles = 'operator') => {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-roles': roles },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('a route served from its contract', () => {
  it('answers what the handler returns, with the input parsed', async () => {
    expect(await post('/things/t-1', { name: 'lamp' })).toEqual({
      status: 200,
      body: { id: 't-1', name: 'lamp' },
    });
  });

  it('refuses a caller without one of its roles before the handler runs, naming the roles', async () => {
    const refused = await post('/things/t-1', { name: 'lamp' }, 'delivery_manager');
    expect(refused.status).toBe(403);
    expect(refused.body.details).toEqual({ requiredRoles: ['operator'] });
    expect(calls).toBe(0);
  });

  it('refuses bad params and body with their paths, before the handler runs', async () => {
    const refused = await post('/things/nope', { name: '' });
    expect(refused.status).toBe(400);
    expect((refused.body.issues as { path: string }[]).map((issue) => issue.path).sort()).toEqual(['id']);
    const badBody = await post('/things/t-1', { name: '' });
    expect((badBody.body.issues as { path: string }[]).map((issue) => issue.path)).toEqual(['name']);
    expect(calls).toBe(0);
  });

  it('while the tests run, an answer off its schema or at an undeclared status is a 500 naming the paths', async () => {
    answer = { body: { id: 't-1' } };
    const off = await post('/things/t-1', { name: 'lamp' });
    expect(off.status).toBe(500);
    expect(off.body).toMatchObject({
      error: 'response_contract_violation',
      details: { issues: [{ path: 'name' }] },
    });
    answer = { status: 201 };
    expect((await post('/things/t-1', { name: 'lamp' })).body.error).toBe('response_contract_violation');
  });

  it('outside the tests, answers are sent unchecked', async () => {
    delete process.env.CHECK_RESPONSES;
    answer = { body: { id: 't-1' } };
    expect(await post('/things/t-1', { name: 'lamp' })).toEqual({ status: 200, body: { id: 't-1' } });
  });
});
