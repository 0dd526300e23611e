export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

/**
 * Named checks behind /readyz. Each is bounded by a timeout because a dead
 * dependency usually hangs rather than fails, and a probe must answer quickly.
 */
export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();

  constructor(readonly timeoutMs = 2000) {}

  register(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  async evaluate(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => [name, await this.#run(check)] as const),
    );
    return { ready: entries.every(([, outcome]) => outcome === 'ok'), checks: Object.fromEntries(entries) };
  }

  async #run(check: ReadinessCheck): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`timed out after ${this.timeoutMs}ms`), this.timeoutMs);
    });
    try {
      const outcome = check().then(
        () => 'ok',
        (err: unknown) => (err instanceof Error ? err.message : String(err)) || 'failed',
      );
      return await Promise.race([outcome, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
