import { type Lifecycle, type Logger, openRuntime, type RuntimeConfig } from '@delivery/service-kit';
import { allModels } from './store/all-models.js';
import { gatewayModels } from './store/models.js';
import { dropPlainSessionExpiryIndex } from './store/session-expiry-index.js';
import { gatewayTopology } from './topology.js';

/** Database (accounts, sessions, keys, audit) and the broker (live events). No outbox. */
export async function openGatewayRuntime(config: RuntimeConfig, lifecycle: Lifecycle, logger: Logger) {
  const runtime = await openRuntime(
    {
      config,
      role: 'api',
      topology: gatewayTopology,
      models: allModels,
      // `npm run migrate` needs no such step: its syncIndexes replaces an index whose options differ.
      beforeIndexBuild: async (mongo) => {
        if (await dropPlainSessionExpiryIndex(mongo)) {
          logger.info('dropped the plain sessions.expiresAt index for its TTL successor');
        }
      },
      outboxModels: () => [],
    },
    lifecycle,
    logger,
  );
  return { ...runtime, models: gatewayModels(runtime.mongo) };
}
