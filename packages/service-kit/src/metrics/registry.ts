import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  type Metric,
  Registry,
} from 'prom-client';

export type { Counter, Gauge, Histogram } from 'prom-client';

/**
 * The process's one registry: what `/metrics` serves. Its own rather than prom-client's global,
 * so nothing a dependency registers there ends up on our page unasked.
 */
export const metricsRegistry = new Registry();

// Process and runtime metrics under prom-client's standard names (process_*, nodejs_*): CPU,
// memory, file descriptors, GC, and the event loop's lag (nodejs_eventloop_lag_*), which is
// what a process busy on CPU shows first.
collectDefaultMetrics({ register: metricsRegistry });

/** The content type `/metrics` answers with (Prometheus text format 0.0.4). */
export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;

/**
 * Each metric is defined once per process, wherever the module defining it is loaded: a second
 * definition (two services' modules started in one test process) gets the first one back.
 */
function defined<M extends Metric>(name: string, create: () => M): M {
  return (metricsRegistry.getSingleMetric(name) as M | undefined) ?? create();
}

export function defineCounter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return defined(config.name, () => new Counter({ ...config, registers: [metricsRegistry] }));
}

export function defineGauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  return defined(config.name, () => new Gauge({ ...config, registers: [metricsRegistry] }));
}

export function defineHistogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return defined(config.name, () => new Histogram({ ...config, registers: [metricsRegistry] }));
}

/** The metric families the registry exports, as they appear on the page (histograms as their series). */
export function exportedMetricNames(): string[] {
  return metricsRegistry.getMetricsAsArray().flatMap((metric) => {
    const { name, type } = metric as unknown as { name: string; type: string };
    if (type === 'histogram') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
    if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
    return [name];
  });
}
