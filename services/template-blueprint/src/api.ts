import type { Server } from 'node:http';
import {
  createHttpApp,
  deadLetterRoutes,
  identityVerifierFromConfig,
  type Lifecycle,
  type Logger,
  repeat,
} from '@delivery/service-kit';
import { inputLimits } from '@delivery/service-kit/config';
import type { ApiConfig } from './config.js';
import type { GeneratorName } from './generators/generator.js';
import { blueprintRoutes } from './http/blueprint-routes.js';
import { templateRoutes } from './http/template-routes.js';
import { openBlueprintRuntime } from './runtime.js';
import { RunStore } from './store/run-store.js';
import { RunSweeper } from './store/run-sweeper.js';
import { TemplateStore } from './store/template-store.js';

const SWEEP_BATCH = 200;

/** The API process: templates, blueprint runs, and the sweeper that keeps runs moving. */
export async function startApi(config: ApiConfig, lifecycle: Lifecycle, logger: Logger): Promise<Server> {
  const { templates, runs, readiness, deadLetters, templateWritten, runWritten } = await openBlueprintRuntime(
    config,
    lifecycle,
    logger,
    'api',
  );
  const now = () => new Date();
  const templateStore = new TemplateStore(templates, now, templateWritten);
  const runStore = new RunStore(runs, templateStore, now, runWritten);
  const generators: GeneratorName[] = config.LLM_BASE_URL ? ['rules', 'llm'] : ['rules'];

  const sweeper = new RunSweeper(runs, now, runWritten);
  const sweeping = repeat(
    'run sweeper',
    config.SWEEP_INTERVAL_MS,
    async () => {
      const recovered = await sweeper.expireLeases(SWEEP_BATCH, config.CLOCK_SKEW_ALLOWANCE_MS);
      const dispatched = await sweeper.dispatchDue(SWEEP_BATCH, config.REDISPATCH_AFTER_MS);
      if (recovered.length > 0)
        logger.warn({ recovered: recovered.length }, 'recovered runs whose worker stopped');
      if (dispatched.length > 0) logger.debug({ dispatched: dispatched.length }, 'dispatched due runs');
    },
    logger,
  );
  lifecycle.onClose('run sweeper', () => sweeping.stop());

  const app = createHttpApp({
    logger,
    readiness,
    limits: inputLimits(config),
    identity: identityVerifierFromConfig(config),
    routes: (express) => {
      express.use(templateRoutes(templateStore));
      express.use(deadLetterRoutes(deadLetters));
      express.use(
        blueprintRoutes({
          runs: runStore,
          templates: templateStore,
          generators,
          maxAttempts: config.MAX_ATTEMPTS,
        }),
      );
    },
  });
  const server = await lifecycle.listenHttp(app, config.PORT);
  logger.info({ address: server.address(), generators }, 'template-blueprint api listening');
  return server;
}
