// `npm run migrate` (in the image: `node dist/migrate.js`): builds the gateway's indexes, once,
// before a rollout whose processes run with MONGO_INDEXES=require.
import { runMigration } from '@delivery/service-kit/migrate';
import { migrateConfigSchema } from './config.js';

await runMigration({
  schema: migrateConfigSchema,
  models: async () => (await import('./store/all-models.js')).allModels,
});
