import type { Logger } from 'pino';
import { createLogger } from '../logging/logger.js';
import { Lifecycle } from './lifecycle.js';

export interface RunServiceOptions {
  name: string;
  logger?: Logger;
  drainTimeoutMs?: number;
  /** Opens connections and servers, registering each with the lifecycle as it goes. */
  start: (lifecycle: Lifecycle, logger: Logger) => Promise<void>;
}

/**
 * Runs a service until SIGTERM/SIGINT. If start fails, whatever it had
 * already opened is closed and the process exits 1, so an orchestrator
 * restarts it instead of it hanging half-started.
 */
export async function runService({
  name,
  logger,
  drainTimeoutMs,
  start,
}: RunServiceOptions): Promise<Lifecycle> {
  const log = logger ?? createLogger(name);
  const lifecycle = new Lifecycle({
    logger: log,
    ...(drainTimeoutMs === undefined ? {} : { drainTimeoutMs }),
  });
  lifecycle.handleSignals();
  try {
    await start(lifecycle, log);
    log.info('started');
  } catch (err) {
    log.fatal({ err }, 'start failed');
    await lifecycle.shutdown('start failed', 1);
  }
  return lifecycle;
}
