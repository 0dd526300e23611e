// The template-blueprint API process: templates, blueprint runs and the run sweeper.
import { boot } from '@delivery/service-kit/boot';
import { apiConfigSchema } from './config.js';

await boot({
  schema: apiConfigSchema,
  name: (config) => config.SERVICE_NAME,
  start: async (config, lifecycle, logger) => {
    const { startApi } = await import('./api.js');
    await startApi(config, lifecycle, logger);
  },
});
