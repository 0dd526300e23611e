// The gateway process: the one API for the web frontend and for scripts.
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
