import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedMongoDamagedStoreError } from './errors.js';
import {
  type EmbeddedMongo,
  type EmbeddedMongoOptions,
  type LauncherExit,
  startEmbeddedMongo,
} from './start-embedded-mongo.js';

export interface SupervisionOptions {
  /** Progress: the store died, is back, or a restart failed. */
  log: (message: string) => void;
  /** Called once when the store cannot be brought back; the caller must stop what uses it. */
  onGiveUp: (error: Error) => void;
  /** Restarts allowed within a minute before giving up (default 5). */
  maxRestartsPerMinute?: number;
  /** Wait before the first restart attempt; each further attempt in the minute waits twice as long. */
  backoffMs?: number;
}

export interface SupervisedEmbeddedMongo extends Omit<EmbeddedMongo, 'exited'> {
  /** Restarts so far; pid always names the current java process. */
  readonly restarts: number;
}

const WINDOW_MS = 60_000;

/**
 * The embedded store for a long-running system (`npm start`): when its java process dies, it is
 * started again on the same port and data file, so the services' drivers reconnect by
 * themselves and nothing serves errors for longer than a restart. A store that keeps dying, or
 * whose file cannot be repaired, is given up on loudly instead of being restarted forever.
 */
export async function startSupervisedEmbeddedMongo(
  options: EmbeddedMongoOptions,
  { log, onGiveUp, maxRestartsPerMinute = 5, backoffMs = 500 }: SupervisionOptions,
): Promise<SupervisedEmbeddedMongo> {
  let current = await startEmbeddedMongo(options);
  const { port, url } = current;
  const attempts: number[] = [];
  let restarts = 0;
  let stopped = false;

  const watch = (mongo: EmbeddedMongo) => {
    void mongo.exited.then((exit) => {
      if (stopped) return;
      log(`the embedded MongoDB store (pid ${mongo.pid}) died (${describe(exit)}); restarting it on ${url}`);
      void restart();
    });
  };

  const restart = async () => {
    for (;;) {
      const now = Date.now();
      attempts.splice(0, attempts.length, ...attempts.filter((at) => now - at < WINDOW_MS));
      if (attempts.length >= maxRestartsPerMinute) {
        return onGiveUp(
          new Error(`the embedded MongoDB store died ${attempts.length} times within a minute`),
        );
      }
      attempts.push(now);
      await sleep(backoffMs * 2 ** (attempts.length - 1));
      if (stopped) return;
      try {
        const mongo = await startEmbeddedMongo({ ...options, port });
        if (stopped) return await mongo.stop();
        current = mongo;
        restarts += 1;
        log(`the embedded MongoDB store is back on ${url} (pid ${mongo.pid})`);
        return watch(mongo);
      } catch (error) {
        const cause = error instanceof Error ? error : new Error(String(error));
        if (cause instanceof EmbeddedMongoDamagedStoreError) return onGiveUp(cause);
        log(`restarting the embedded MongoDB store failed: ${cause.message}`);
      }
    }
  };

  watch(current);
  return {
    url,
    port,
    get pid() {
      return current.pid;
    },
    get restarts() {
      return restarts;
    },
    stop: async () => {
      stopped = true;
      await current.stop();
    },
  };
}

function describe({ code, signal }: LauncherExit): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}
