import { type Lifecycle, type Logger, openRuntime, type RuntimeConfig } from '@delivery/service-kit';
import { gatewayModels } from './store/models.js';
import { dropPlainSessionExpiryIndex } from './store/session-expiry-index.js';
import { gatewayTopology } from './topology.js';

/** Database (accounts, sessions, keys, audit) and the broker (live events). No outbox. */
export async function openGatewayRuntime(config: RuntimeConfig, lifecycle: Lifecycle, logger: Logger) {
  const runtime = await openRuntime(
    { config, role: 'api', topology: gatewayTopology, outboxModels: () => [] },
    lifecycle,
    logger,
  );
  if (await dropPlainSessionExpiryIndex(runtime.mongo)) {
    logger.info('dropped the plain sessions.expiresAt index for its TTL successor');
  }
  const models = gatewayModels(runtime.mongo);
  await Promise.all(Object.values(models).map((model) => model.init()));
  return { ...runtime, models };
}
