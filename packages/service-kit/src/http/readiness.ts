export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessReport {
  ready: boolean;
  /** 'ok' or a reason code (e.g. `mongo_unreachable`, `timeout`), never a driver's message. */
  checks: Record<string, 'ok' | string>;
}

/** Where a failed check's detail goes, since the report itself only carries its code. */
export interface ReadinessLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * What a check throws to say why it is not ready: a stable code for probes and dashboards, and
 * the underlying cause for the logs.
 */
export class NotReadyError extends Error {
  override name = 'NotReadyError';

  constructor(
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(code, options);
  }
}

/** Code for a check that failed with anything but a NotReadyError. */
const UNKNOWN_FAILURE = 'failed';
const TIMEOUT = 'timeout';

/**
 * Named checks behind /readyz. Each is bounded by a timeout because a dead
 * dependency usually hangs rather than fails, and a probe must answer quickly.
 * The report carries reason codes only: a driver's message can name hosts, users or paths.
 */
export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();

  constructor(
    readonly timeoutMs = 2000,
    private readonly logger?: ReadinessLogger,
  ) {}

  register(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  async evaluate(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => [name, await this.#run(name, check)] as const),
    );
    return { ready: entries.every(([, outcome]) => outcome === 'ok'), checks: Object.fromEntries(entries) };
  }

  async #run(name: string, check: ReadinessCheck): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        this.logger?.warn({ check: name, timeoutMs: this.timeoutMs }, 'readiness check timed out');
        resolve(TIMEOUT);
      }, this.timeoutMs);
    });
    try {
      const outcome = check().then(
        () => 'ok',
        (err: unknown) => {
          this.logger?.warn({ err, check: name }, 'readiness check failed');
          return err instanceof NotReadyError ? err.code : UNKNOWN_FAILURE;
        },
      );
      return await Promise.race([outcome, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
