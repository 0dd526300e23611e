import { workerConfigSchema } from './config.js';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017', AMQP_URL: 'amqp://127.0.0.1' };

test('HEARTBEAT_MS must be shorter than LEASE_MS, and the refusal names the variable', () => {
  expect(workerConfigSchema.parse(base)).toMatchObject({ LEASE_MS: 30_000, HEARTBEAT_MS: 10_000 });
  for (const timings of [
    { LEASE_MS: '1000', HEARTBEAT_MS: '1000' },
    { LEASE_MS: '1000', HEARTBEAT_MS: '5000' },
  ]) {
    const result = workerConfigSchema.safeParse({ ...base, ...timings });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['HEARTBEAT_MS'], message: expect.stringContaining('LEASE_MS') }),
    ]);
  }
});
