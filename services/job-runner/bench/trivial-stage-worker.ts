// A worker process as src/worker.ts starts it, but whose stage handlers do nothing: for measuring
// what orchestration costs around the jobs (npm run bench:pipeline), not what the jobs cost.
import { boot } from '@delivery/service-kit/boot';
import { workerConfigSchema } from '../src/config.js';

const done = async () => ({ outcome: 'success' as const, result: null });

await boot({
  schema: workerConfigSchema,
  name: (config) => `${config.SERVICE_NAME}-trivial-worker`,
  start: async (config, lifecycle, logger) => {
    const { startWorker } = await import('../src/worker-runtime.js');
    await startWorker(config, lifecycle, logger, {
      build: done,
      // The defect stage reads the test stage's defects: none.
      test: async () => ({ outcome: 'success', result: { summary: { total: 0, failed: 0 }, defects: [] } }),
      defect_validation: done,
      noop: done,
    });
  },
});
