import { workerConfigSchema } from './config.js';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017', AMQP_URL: 'amqp://127.0.0.1' };

test('HTTP_EXECUTOR_ALLOWED_HOSTS is a comma-separated list; unset allows any host', () => {
  expect(workerConfigSchema.parse(base).HTTP_EXECUTOR_ALLOWED_HOSTS).toBeUndefined();
  expect(
    workerConfigSchema.parse({ ...base, HTTP_EXECUTOR_ALLOWED_HOSTS: ' ' }).HTTP_EXECUTOR_ALLOWED_HOSTS,
  ).toBeUndefined();
  const parsed = workerConfigSchema.parse({
    ...base,
    HTTP_EXECUTOR_ALLOWED_HOSTS: 'deploy.example, ci.example:8443,',
  });
  expect(parsed.HTTP_EXECUTOR_ALLOWED_HOSTS).toEqual(['deploy.example', 'ci.example:8443']);
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
