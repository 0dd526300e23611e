// A worker process as src/worker.ts starts it, but whose `noop` handler ignores its AbortSignal,
// as a badly written handler would: it runs on through the shutdown until the process exits.
import { setTimeout as sleep } from 'node:timers/promises';
import { boot } from '@delivery/service-kit/boot';
import { workerConfigSchema } from '../src/config.js';

await boot({
  schema: workerConfigSchema,
  name: (config) => `${config.SERVICE_NAME}-stubborn-worker`,
  drainTimeoutMs: 30_000,
  start: async (config, lifecycle, logger) => {
    const { startWorker } = await import('../src/worker-runtime.js');
    await startWorker(config, lifecycle, logger, {
      noop: async () => {
        await sleep(10 * 60_000);
        return { outcome: 'success', result: null };
      },
    });
  },
});
