import type { Logger } from '@delivery/service-kit';
import type { ClaimedRun, RunLeases } from '../store/run-leases.js';

interface InFlight {
  claim: ClaimedRun;
  controller: AbortController;
}

/**
 * The runs this worker process is generating, so a shutdown can give back those still running
 * after the drain instead of leaving them leased until the lease runs out (which would also
 * count the interrupted attempt).
 */
export class InFlightRuns {
  private readonly runs = new Set<InFlight>();
  private readonly settled = new Set<Promise<unknown>>();
  private reason: string | undefined;

  /** Why new claims are given back at once; set from the start of the hand-back. */
  get stopping(): string | undefined {
    return this.reason;
  }

  /** Tracks a generation until `done` settles. */
  track(claim: ClaimedRun, controller: AbortController, done: Promise<unknown>): void {
    const entry = { claim, controller };
    this.runs.add(entry);
    const settled: Promise<unknown> = done
      .catch(() => undefined)
      .finally(() => {
        this.runs.delete(entry);
        this.settled.delete(settled);
      });
    this.settled.add(settled);
  }

  /**
   * Puts every run still generating back in the queue (fenced by its lease, attempt not
   * counted, its command re-sent at once), then aborts its generator and waits (bounded) for the
   * handlers to end. Giving back before aborting means the aborted generator's own failure
   * record finds the lease gone and cannot count the attempt.
   */
  async handBack(leases: RunLeases, reason: string, logger: Logger, waitMs = 5_000): Promise<void> {
    this.reason = reason;
    await Promise.all(
      [...this.runs].map(async ({ claim, controller }) => {
        const recorded = await leases
          .release(claim, reason)
          .catch((error) => logger.warn({ err: error, runId: claim.run._id }, 'could not give the run back'));
        controller.abort(new Error(reason));
        logger.info({ runId: claim.run._id, recorded }, 'running generation given back on shutdown');
      }),
    );
    const timeout = new Promise((resolve) => setTimeout(resolve, waitMs).unref());
    await Promise.race([Promise.all(this.settled), timeout]);
  }
}
