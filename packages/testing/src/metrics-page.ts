/** One sample of a Prometheus text page: `name{label="value",...} value`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricsPage {
  /** Each family's type, from its `# TYPE` line (a family may have no sample yet). */
  types: Map<string, string>;
  samples: MetricSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses a page in Prometheus' text format (0.0.4), as a scraper reads it. */
export function parseMetricsPage(text: string): MetricsPage {
  const types = new Map<string, string>();
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice('# TYPE '.length).split(' ');
      if (name && type) types.set(name, type);
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText, value] = match as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    for (const [, label, raw] of (labelText ?? '').matchAll(LABEL)) {
      labels[label as string] = (raw as string).replace(/\\(.)/g, (_all, char: string) =>
        char === 'n' ? '\n' : char,
      );
    }
    samples.push({ name, labels, value: Number(value) });
  }
  return { types, samples };
}

/** The samples of `name` whose labels include `labels`. */
export function samplesOf(
  page: MetricsPage,
  name: string,
  labels: Record<string, string> = {},
): MetricSample[] {
  return page.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
}

/** The sum of those samples, or undefined when there is none. */
export function sumOf(
  page: MetricsPage,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = samplesOf(page, name, labels);
  return found.length === 0 ? undefined : found.reduce((sum, sample) => sum + sample.value, 0);
}

/** The families a page declares, histograms and summaries with the series they expand to. */
export function familyNames(page: MetricsPage): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of page.types) {
    names.add(name);
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** Scrapes `url` (a process's /metrics). */
export async function scrapeMetrics(url: string): Promise<MetricsPage> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return parseMetricsPage(await response.text());
}
