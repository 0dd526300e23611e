import { testKeys } from '@delivery/testing';
import { configSchema } from './config.js';

const base = {
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  AMQP_URL: 'amqp://127.0.0.1',
  PIPELINE_URL: 'http://pipeline:4001',
  HITL_URL: 'http://hitl:4003',
  JOB_RUNNER_URL: 'http://job-runner:4004',
  TEMPLATE_BLUEPRINT_URL: 'http://template-blueprint:4002',
  IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('gateway'),
};

test('sign-in throttling, the client body timeout and the live-event limits have defaults', () => {
  expect(configSchema.parse(base)).toMatchObject({
    LOGIN_FREE_FAILURES: 5,
    LOGIN_DELAY_BASE_MS: 1_000,
    LOGIN_DELAY_MAX_MS: 15 * 60_000,
    LOGIN_ACCOUNT_CEILING: 50,
    LOGIN_ACCOUNT_WINDOW_MINUTES: 60,
    CLIENT_BODY_TIMEOUT_MS: 30_000,
    EVENTS_MAX_STREAMS_PER_IDENTITY: 10,
    EVENTS_TOTAL_MAX_BUFFERED_BYTES: 64 * 1024 * 1024,
  });
});

test.each([
  ['LOGIN_FREE_FAILURES', '0'],
  ['LOGIN_DELAY_MAX_MS', '500'],
  ['LOGIN_ACCOUNT_CEILING', 'many'],
  ['CLIENT_BODY_TIMEOUT_MS', '5'],
  ['EVENTS_MAX_STREAMS_PER_IDENTITY', '0'],
  ['EVENTS_TOTAL_MAX_BUFFERED_BYTES', '-1'],
  // The lockout's settings are gone: a deployment still setting them is told what replaced them.
  ['LOGIN_MAX_FAILURES', '5'],
  ['LOGIN_LOCK_MINUTES', '15'],
])('%s=%s is refused, naming the variable', (name, value) => {
  const result = configSchema.safeParse({ ...base, [name]: value });
  expect(result.error?.issues.map((issue) => issue.path[0])).toEqual([name]);
});

test('AUDIT_RETENTION_DAYS defaults to a year, takes 0 for forever, and refuses a negative value', () => {
  expect(configSchema.parse(base).AUDIT_RETENTION_DAYS).toBe(365);
  expect(configSchema.parse({ ...base, AUDIT_RETENTION_DAYS: '0' }).AUDIT_RETENTION_DAYS).toBe(0);
  expect(configSchema.safeParse({ ...base, AUDIT_RETENTION_DAYS: '-1' }).success).toBe(false);
});
