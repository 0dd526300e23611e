import type { Logger } from '@delivery/service-kit';

/**
 * The jobs this worker is running, so a shutdown can stop taking new ones, let the running ones
 * finish for a while, and then interrupt the rest.
 */
export class RunningJobs {
  private readonly interrupts = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];
  private draining = false;

  get accepting(): boolean {
    return !this.draining;
  }

  /** Registers a run; `interrupt` is called if it is still running when the drain ends. */
  track(interrupt: () => void): () => void {
    this.interrupts.add(interrupt);
    return () => {
      this.interrupts.delete(interrupt);
      if (this.interrupts.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };
  }

  /**
   * Waits `drainMs` for running jobs to finish, then interrupts the rest and gives them
   * `settleMs` to stop and write their outcome. A handler that does not stop keeps its job's
   * lease (and heartbeats) until the process exits: handing the job back while it still runs
   * would run it twice.
   */
  async drain(drainMs: number, settleMs: number, logger: Logger): Promise<void> {
    this.draining = true;
    if (await this.idleWithin(drainMs)) return;
    logger.warn({ running: this.interrupts.size, drainMs }, 'drain timed out; interrupting running jobs');
    for (const interrupt of this.interrupts) interrupt();
    if (!(await this.idleWithin(settleMs)))
      logger.error(
        { running: this.interrupts.size },
        'interrupted jobs did not settle; their leases will expire',
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
