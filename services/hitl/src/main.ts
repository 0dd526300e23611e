// The hitl process: approval gates (HTTP, the evaluate command, project facts, expiry).
import { boot } from '@delivery/service-kit/boot';
import { configSchema } from './config.js';

await boot({
  schema: configSchema,
  name: (config) => config.SERVICE_NAME,
  start: async (config, lifecycle, logger) => {
    const { startApi } = await import('./api.js');
    await startApi(config, lifecycle, logger);
  },
});
