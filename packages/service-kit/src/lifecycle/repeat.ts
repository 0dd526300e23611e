import type { Logger } from 'pino';

export interface Repeating {
  /** Stops the schedule and waits for the pass in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` (measured from the end of one pass to the start of the next,
 * so passes never overlap). A failing pass is logged and the schedule goes on.
 */
export function repeat(
  name: string,
  intervalMs: number,
  task: () => Promise<void>,
  logger: Logger,
): Repeating {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = task()
      .catch((error) => logger.warn({ err: error, task: name }, 'periodic task failed'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
