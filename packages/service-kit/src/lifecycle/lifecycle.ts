import { once } from 'node:events';
import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import type { Logger } from 'pino';
import { drainHttp } from './drain-http.js';

export type Closer = () => Promise<unknown> | unknown;

export interface LifecycleOptions {
  logger: Logger;
  /** How long in-flight HTTP requests get to finish after a stop signal. */
  drainTimeoutMs?: number;
  /** Hard bound on the whole shutdown; past it the process exits 1. */
  shutdownTimeoutMs?: number;
  exit?: (code: number) => void;
}

/**
 * Owns what a service opened and closes it in reverse order on shutdown, so
 * the HTTP server (opened last) stops first and the database (opened first)
 * closes after everything that may still write to it.
 */
export class Lifecycle {
  readonly #closers: { name: string; close: Closer }[] = [];
  readonly #logger: Logger;
  readonly #drainTimeoutMs: number;
  readonly #shutdownTimeoutMs: number;
  readonly #exit: (code: number) => void;
  #stopping: Promise<void> | undefined;

  constructor({ logger, drainTimeoutMs = 10_000, shutdownTimeoutMs, exit }: LifecycleOptions) {
    this.#logger = logger;
    this.#drainTimeoutMs = drainTimeoutMs;
    this.#shutdownTimeoutMs = shutdownTimeoutMs ?? drainTimeoutMs + 10_000;
    this.#exit = exit ?? ((code) => process.exit(code));
  }

  onClose(name: string, close: Closer): void {
    this.#closers.push({ name, close });
  }

  /** Listens and registers the server so shutdown drains it. Port 0 picks a free port. */
  async listenHttp(handler: RequestListener, port: number, host?: string): Promise<Server> {
    const server = createServer(handler);
    server.listen(port, host);
    await once(server, 'listening');
    this.onClose('http', async () => {
      const drained = await drainHttp(server, this.#drainTimeoutMs);
      if (!drained)
        this.#logger.warn({ timeoutMs: this.#drainTimeoutMs }, 'http drain timed out; cut connections');
    });
    return server;
  }

  /** SIGTERM/SIGINT start a graceful shutdown; a second one forces exit. */
  handleSignals(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
    for (const signal of signals) {
      process.on(signal, () => {
        if (this.#stopping) {
          this.#logger.warn({ signal }, 'second signal; exiting now');
          this.#exit(1);
          return;
        }
        void this.shutdown(signal, 0);
      });
    }
  }

  /** Closes everything (once) and exits with `code`, or 1 if a closer failed or time ran out. */
  shutdown(reason: string, code = 0): Promise<void> {
    this.#stopping ??= this.#closeAll(reason, code);
    return this.#stopping;
  }

  async #closeAll(reason: string, code: number): Promise<void> {
    this.#logger.info({ reason }, 'shutting down');
    let forced = false;
    const force = setTimeout(() => {
      forced = true;
      this.#logger.error({ timeoutMs: this.#shutdownTimeoutMs }, 'shutdown timed out; exiting now');
      this.#exit(1);
    }, this.#shutdownTimeoutMs);
    force.unref();
    let exitCode = code;
    for (const { name, close } of this.#closers.toReversed()) {
      try {
        await close();
        this.#logger.info({ closer: name }, 'closed');
      } catch (err) {
        exitCode = 1;
        this.#logger.error({ err, closer: name }, 'close failed');
      }
    }
    clearTimeout(force);
    if (forced) return;
    this.#logger.info({ code: exitCode }, 'stopped');
    this.#exit(exitCode);
  }
}
