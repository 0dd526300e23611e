import { testKeys } from '@delivery/testing';
import { apiConfigSchema, workerConfigSchema } from './config.js';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017', AMQP_URL: 'amqp://127.0.0.1' };
const signingKey = { IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('job-runner') };

test('egress: nothing but the platform services is allowed by default; lists are parsed and checked', () => {
  expect(workerConfigSchema.parse(base)).toMatchObject({
    EGRESS_ALLOWED_HOSTS: [],
    EGRESS_ALLOW_PRIVATE: [],
    EGRESS_MAX_BODY_BYTES: 1024 * 1024,
    PLATFORM_SERVICE_URLS: [],
  });
  const parsed = workerConfigSchema.parse({
    ...base,
    EGRESS_ALLOWED_HOSTS: 'deploy.example, ci.example:8443,*.builds.example,',
    EGRESS_ALLOW_PRIVATE: '10.0.0.0/8, ::1, executor.corp',
    PLATFORM_SERVICE_URLS: 'template-blueprint=http://127.0.0.1:4002, pipeline=https://pipeline.internal/api',
    ...signingKey,
  });
  expect(parsed.EGRESS_ALLOWED_HOSTS).toEqual(['deploy.example', 'ci.example:8443', '*.builds.example']);
  expect(parsed.EGRESS_ALLOW_PRIVATE).toEqual(['10.0.0.0/8', '::1', 'executor.corp']);
  expect(parsed.PLATFORM_SERVICE_URLS).toEqual([
    { audience: 'template-blueprint', url: 'http://127.0.0.1:4002' },
    { audience: 'pipeline', url: 'https://pipeline.internal/api' },
  ]);
  for (const [name, value] of [
    ['EGRESS_ALLOWED_HOSTS', 'http://deploy.example'],
    ['EGRESS_ALLOW_PRIVATE', '10.0.0.0/33'],
    ['PLATFORM_SERVICE_URLS', 'pipeline=ftp://x'],
    ['PLATFORM_SERVICE_URLS', 'http://127.0.0.1:4002'],
    ['PLATFORM_SERVICE_URLS', 'gateway=http://gateway:4000'],
    ['PLATFORM_SERVICE_URLS', 'billing=http://billing'],
    ['EGRESS_MAX_BODY_BYTES', 'lots'],
    ['HTTP_EXECUTOR_ALLOWED_HOSTS', 'deploy.example'],
  ]) {
    const result = workerConfigSchema.safeParse({ ...base, ...signingKey, [name as string]: value });
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual([name]);
  }
});

test('identity: the API needs the trusted keys; a worker reading platform services needs its own signing key', () => {
  expect(apiConfigSchema.safeParse(base).error?.issues.map((issue) => issue.path[0])).toEqual([
    'IDENTITY_PUBLIC_KEYS',
  ]);
  expect(apiConfigSchema.parse({ ...base, IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson() })).toMatchObject({
    IDENTITY_AUDIENCE: 'job-runner',
  });
  const platform = { PLATFORM_SERVICE_URLS: 'template-blueprint=http://tb:4002' };
  const unsigned = workerConfigSchema.safeParse({ ...base, ...platform });
  expect(unsigned.error?.issues).toEqual([
    expect.objectContaining({
      path: ['IDENTITY_SIGNING_KEY'],
      message: expect.stringMatching(/^reads from PLATFORM_SERVICE_URLS carry a token it signs/),
    }),
  ]);
  const otherKey = { IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('hitl') };
  const wrong = workerConfigSchema.safeParse({ ...base, ...platform, ...otherKey });
  expect(wrong.error?.issues.map((issue) => issue.path[0])).toEqual(['IDENTITY_SIGNING_KEY']);
  expect(workerConfigSchema.parse({ ...base, ...platform, ...signingKey }).IDENTITY_SIGNING_KEY?.kid).toBe(
    'job-runner',
  );
});

test('timings have sane defaults and refuse nonsense, naming the variable', () => {
  expect(workerConfigSchema.parse(base)).toMatchObject({
    LEASE_MS: 30_000,
    HEARTBEAT_MS: 5_000,
    WORKER_CONCURRENCY: 8,
  });
  const result = workerConfigSchema.safeParse({ ...base, LEASE_MS: 'soon' });
  expect(result.success).toBe(false);
  expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['LEASE_MS']);
});

test('HEARTBEAT_MS must be shorter than LEASE_MS, and the refusal names the variables', () => {
  for (const HEARTBEAT_MS of [5_000, 6_000]) {
    const result = workerConfigSchema.safeParse({ ...base, LEASE_MS: 5_000, HEARTBEAT_MS });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['HEARTBEAT_MS']);
    expect(result.error?.issues[0]?.message).toMatch(/HEARTBEAT_MS .*LEASE_MS/);
  }
  expect(workerConfigSchema.parse({ ...base, LEASE_MS: 5_000, HEARTBEAT_MS: 4_999 }).HEARTBEAT_MS).toBe(
    4_999,
  );
});

test('skew allowance, drain and result limit have defaults and bounds', () => {
  expect(workerConfigSchema.parse(base)).toMatchObject({
    CLOCK_SKEW_ALLOWANCE_MS: 5_000,
    WORKER_DRAIN_MS: 20_000,
    MAX_RESULT_BYTES: 256 * 1024,
  });
  const tooLong = workerConfigSchema.safeParse({ ...base, WORKER_DRAIN_MS: 60_000 });
  expect(tooLong.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['WORKER_DRAIN_MS']);
});

test('JOB_RETENTION_DAYS defaults to 90 days, takes 0 for forever, and refuses a negative or fractional value', () => {
  const api = { ...base, IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson() };
  expect(apiConfigSchema.parse(api).JOB_RETENTION_DAYS).toBe(90);
  expect(apiConfigSchema.parse({ ...api, JOB_RETENTION_DAYS: '0' }).JOB_RETENTION_DAYS).toBe(0);
  expect(apiConfigSchema.safeParse({ ...api, JOB_RETENTION_DAYS: '-1' }).success).toBe(false);
  expect(apiConfigSchema.safeParse({ ...api, JOB_RETENTION_DAYS: '1.5' }).success).toBe(false);
});
