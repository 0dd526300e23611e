/** What every measured system gets: the same broker, store, Redis, job count and concurrency. */
export interface BenchContext {
  jobs: number;
  concurrency: number;
  /** Enqueue requests in flight at once where enqueueing is one call per job. */
  enqueueInFlight: number;
  /** AMQP URL of the private vhost of this run. */
  amqpUrl: string;
  /** MongoDB server URL without a database. */
  mongoUrl: string;
  redisUrl: string;
  /** How long one system may take to run all jobs before its row reads "failed: timed out". */
  timeoutMs: number;
  /** Aborted on Ctrl-C: waits give up so every system's cleanup still runs. */
  signal: AbortSignal;
}

export interface SystemResult {
  system: string;
  jobsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Anything the reader needs to judge the row (settings chosen, enqueue rate). */
  note: string;
}

/** Nearest-rank percentile; NaN when there are no samples. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Runs task(0..count-1) with at most `limit` of them in flight; the first failure stops new ones. */
export async function runBounded(
  count: number,
  limit: number,
  task: (index: number) => Promise<unknown>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      signal?.throwIfAborted();
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

/**
 * Counts distinct completed jobs (deliveries are at least once, so a key may be seen twice) and
 * remembers when the last new one arrived (performance.now()).
 */
export class Completions {
  private readonly seen = new Set<string | number>();
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  lastAt = Number.NaN;

  constructor(private readonly expected: number) {}

  get count(): number {
    return this.seen.size;
  }

  mark(key: string | number): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.lastAt = performance.now();
    if (this.seen.size === this.expected) this.settle?.resolve();
  }

  /** Makes wait() fail now, e.g. on an error event of the system under test. */
  fail(error: Error): void {
    this.failure ??= error;
    this.settle?.reject(error);
  }

  async wait(timeoutMs: number, signal: AbortSignal, what: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.seen.size >= this.expected) return;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => this.settle?.reject(new Error('aborted'));
    try {
      await new Promise<void>((resolve, reject) => {
        this.settle = { resolve, reject };
        timer = setTimeout(
          () =>
            reject(
              new Error(`timed out after ${timeoutMs / 1000} s with ${this.count}/${this.expected} ${what}`),
            ),
          timeoutMs,
        );
        signal.addEventListener('abort', onAbort, { once: true });
      });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.settle = undefined;
    }
  }
}

export const perSecond = (count: number, elapsedMs: number): number => count / (elapsedMs / 1000);

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 160);
}
