import { createServer, type Server } from 'node:http';
import { jobRunnerRoutes } from '@delivery/contracts/routes';
import type { ServiceTokens } from '@delivery/service-kit/identity';
import pino from 'pino';
import { serviceClient } from './service-client.js';
import { UpstreamContractError } from './upstream-errors.js';

// A stand-in job-runner as a real HTTP server: what it answers decides what the client makes of it.
let answer: unknown;
let seen: { method?: string; url?: string; authorization?: string; body: string } | undefined;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen = { method: req.method, url: req.url, authorization: req.headers.authorization, body };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const tokens = { tokenFor: async () => 'token-for-job-runner' } as unknown as ServiceTokens;
const client = () => serviceClient('job-runner', baseUrl, tokens, 2_000, pino({ level: 'silent' }));

const job = {
  id: '6f1c1a4e-7e0b-4a4e-9a52-0d3a3c1e2b11',
  projectId: 'p-1',
  stage: '3_build',
  kind: 'build',
  status: 'NEEDS_HUMAN',
  priority: 0,
  attempts: 1,
  maxAttempts: 3,
  retries: 0,
  error: null,
  needsHumanReason: 'decide',
  nextRunAt: '2026-12-07T10:00:00.000Z',
  cancelRequested: false,
  idempotencyKey: 'p-1:3_build:1',
  correlationId: 'c-1',
  createdAt: '2026-12-07T10:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  deadLetteredAt: null,
  lockedBy: null,
  leaseExpiresAt: null,
  payload: {},
  result: null,
  history: [],
};

describe('a call to another service through its route contract', () => {
  it('sends the route’s method and filled path with the service token, and parses the answer', async () => {
    answer = job;
    const resumed = await client().call(jobRunnerRoutes.resume, {
      params: { id: 'a/b' },
      body: { input: { x: 1 } },
    });
    expect(resumed.status).toBe('NEEDS_HUMAN');
    expect(seen).toEqual({
      method: 'POST',
      url: '/jobs/a%2Fb/resume',
      authorization: 'Bearer token-for-job-runner',
      body: JSON.stringify({ input: { x: 1 } }),
    });
  });

  it('refuses an answer off the owner’s response schema, naming the paths (502, not a 400 of ours)', async () => {
    answer = { ...job, status: 'SOMETHING_ELSE', attempts: 'one' };
    const failure = await client()
      .call(jobRunnerRoutes.getJob, { params: { id: job.id } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamContractError);
    expect((failure as UpstreamContractError).status).toBe(502);
    expect((failure as UpstreamContractError).details?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'status' }),
        expect.objectContaining({ path: 'attempts' }),
      ]),
    );
  });
});
