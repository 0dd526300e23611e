import type { Gauge } from 'prom-client';
import { defineGauge } from './registry.js';

export interface Sample<L extends string> {
  labels: Partial<Record<L, string>>;
  value: number;
}

/** Reads a source's samples; a failed read gives none (the gauge shows nothing rather than a stale value). */
export type SampleSource<L extends string> = () => Promise<readonly Sample<L>[]>;

export interface ScrapedGauge<L extends string> {
  readonly gauge: Gauge<L>;
  /** Adds a source read on every scrape; returns what removes it (on shutdown). */
  addSource(source: SampleSource<L>): () => void;
}

// One source set per metric name, however many times the defining module is loaded.
const sourcesByName = new Map<string, Set<SampleSource<string>>>();

/**
 * A gauge whose value is read when Prometheus scrapes (a count in the store, a queue's depth, a
 * connection's state), not by a polling loop: nothing runs between scrapes. Every source added
 * (one per runtime in the process) is read at each scrape; wrap expensive reads in `cachedRead`.
 */
export function scrapedGauge<L extends string>(config: {
  name: string;
  help: string;
  labelNames: readonly L[];
}): ScrapedGauge<L> {
  let sources = sourcesByName.get(config.name);
  if (!sources) {
    sources = new Set();
    sourcesByName.set(config.name, sources);
  }
  const reading = sources as Set<SampleSource<L>>;
  const gauge = defineGauge<L>({
    ...config,
    async collect() {
      const read = await Promise.all([...reading].map((source) => source().catch(() => [])));
      // Reset and set with no await between, so a concurrent scrape never sees half of it.
      this.reset();
      for (const sample of read.flat()) this.set(sample.labels as Record<L, string>, sample.value);
    },
  });
  return {
    gauge,
    addSource(source) {
      reading.add(source);
      return () => void reading.delete(source);
    },
  };
}

export interface CachedReadOptions {
  /** How long an answer (or a failure) is reused: scrapes from two Prometheus replicas cost one read. */
  ttlMs?: number;
  /** A read taking longer fails, so a hung store cannot hold the scrape until Prometheus gives up. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * `read`, reused for `ttlMs` and shared by concurrent callers. A failure is reused as well: a
 * store that is down is not asked again on every scrape.
 */
export function cachedRead<T>(
  read: () => Promise<T>,
  { ttlMs = 5_000, timeoutMs = 2_000, now = Date.now }: CachedReadOptions = {},
): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (last && now() - last.at < ttlMs) return last.value;
    const value = withTimeout(read(), timeoutMs);
    // Handled here too, so a failure nobody awaits yet is not reported as unhandled.
    value.catch(() => undefined);
    last = { at: now(), value };
    return value;
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`metrics read took more than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}
