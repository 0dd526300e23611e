import type { Logger } from '../logging/logger.js';

/**
 * The leased work a worker process is running, so a shutdown can stop taking more, let what
 * runs finish for a while, and then interrupt the rest (each interrupt gives its item back to
 * the queue, fenced by its lease, without counting the attempt). Waiting for the leases to run
 * out instead would delay that work by a lease and charge it an attempt.
 */
export class InFlightLeases {
  private readonly interrupts = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];
  private phase: 'accepting' | 'draining' | 'interrupting' = 'accepting';

  /** False from the start of the drain: new work is handed back, not started. */
  get accepting(): boolean {
    return this.phase === 'accepting';
  }

  /**
   * Registers running work; `interrupt` is called if it still runs when the drain ends, or at
   * once if the drain already ended (its claim was under way meanwhile). Returns the untrack.
   */
  track(interrupt: () => void): () => void {
    this.interrupts.add(interrupt);
    if (this.phase === 'interrupting') interrupt();
    return () => {
      this.interrupts.delete(interrupt);
      if (this.interrupts.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };
  }

  /**
   * Waits `drainMs` for running work to finish, then interrupts the rest and gives it `settleMs`
   * to stop and write how it ended. Work that does not stop keeps its lease (and heartbeats)
   * until the process exits: handing its item back while it still runs would run it twice.
   */
  async drain(drainMs: number, settleMs: number, logger: Logger): Promise<void> {
    this.phase = 'draining';
    if (await this.idleWithin(drainMs)) return;
    this.phase = 'interrupting';
    logger.warn(
      { running: this.interrupts.size, drainMs },
      'drain over; interrupting the work still running',
    );
    for (const interrupt of this.interrupts) interrupt();
    if (!(await this.idleWithin(settleMs)))
      logger.error(
        { running: this.interrupts.size },
        'interrupted work did not settle; its leases will expire',
      );
  }

  private idleWithin(ms: number): Promise<boolean> {
    if (this.interrupts.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
