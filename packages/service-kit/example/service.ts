import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BaseConfig,
  connectMongo,
  createHttpApp,
  createLogger,
  type IdentityConfig,
  identityVerifierFromConfig,
  mongoReadiness,
  Readiness,
  runService,
} from '@delivery/service-kit';
import type { ShutdownTelemetry } from '@delivery/service-kit/telemetry';
import { z } from 'zod';

const slowQuery = z.object({ ms: z.coerce.number().int().min(0).max(30_000).default(0) });

export async function runExample(
  config: Omit<BaseConfig, 'AMQP_URL'> & IdentityConfig,
  shutdownTelemetry: ShutdownTelemetry,
) {
  const logger = createLogger(config.SERVICE_NAME, { level: config.LOG_LEVEL });
  return runService({
    name: config.SERVICE_NAME,
    logger,
    start: async (lifecycle) => {
      lifecycle.onClose('telemetry', shutdownTelemetry);
      // The database comes from MONGO_URL's path, so tests can give each run its own.
      const mongo = await connectMongo(config.MONGO_URL);
      lifecycle.onClose('mongo', () => mongo.close());

      const readiness = new Readiness();
      readiness.register('mongo', mongoReadiness(mongo));
      const app = createHttpApp({
        logger,
        readiness,
        identity: identityVerifierFromConfig(config),
        routes: (a) => {
          // Stands in for a slow handler so tests can watch shutdown wait for it.
          a.get('/slow', async (req, res) => {
            const { ms } = slowQuery.parse(req.query);
            await sleep(ms);
            res.json({ sleptMs: ms });
          });
        },
      });
      const server = await lifecycle.listenHttp(app, config.PORT);
      logger.info({ address: server.address() }, 'listening');
    },
  });
}
