import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_METRICS_PORT } from '@delivery/service-kit';
import { parse } from 'yaml';
import { CONFIG_SCHEMAS, secretsEnv } from './compose-configs.js';
import {
  compose,
  containerOf,
  mountsOf,
  SYSTEM_PROCESS_NAMES,
  SYSTEM_PROCESSES,
  servicesOfProfile,
} from './compose-file.js';
import { containerEnvironment } from './compose-interpolation.js';

// Compose's `observability` profile read as rules: Prometheus scrapes /metrics of every process
// (every replica), the processes' traces reach the collector when OTEL_EXPORTER_OTLP_ENDPOINT
// says so, and Grafana is provisioned with Prometheus and the dashboards folder.

const repo = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
/** .env as make-secrets.sh writes it: compose refuses the file without its passwords. */
let dotEnv: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compose-observability-'));
  dotEnv = await secretsEnv(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readYaml = <T>(path: string): T => parse(readFileSync(join(repo, path), 'utf8')) as T;

/** The repository file a service mounts at `target` (its bind mounts, `./…:target`). */
function mountedFile(service: string, target: string): string {
  const mount = mountsOf(containerOf(service)).find((candidate) => candidate.target === target);
  if (!mount?.source.startsWith('./'))
    throw new Error(`${service} mounts no file of the repository at ${target}`);
  return mount.source.slice(2);
}

test('the profile adds the collector, Prometheus and Grafana, and the system runs without it', () => {
  expect(servicesOfProfile('observability').sort()).toEqual(['grafana', 'otel-collector', 'prometheus']);
  for (const name of SYSTEM_PROCESS_NAMES) {
    expect(Object.keys(containerOf(name).depends_on ?? {})).not.toContain('otel-collector');
  }
});

describe('Prometheus', () => {
  interface ScrapeConfig {
    job_name: string;
    metrics_path?: string;
    dns_sd_configs?: { names: string[]; type: string; port: number }[];
    static_configs?: { targets: string[] }[];
  }
  const prometheus = containerOf('prometheus');
  const configFlag = prometheus.command?.find((flag) => flag.startsWith('--config.file='));
  const config = readYaml<{ scrape_configs: ScrapeConfig[] }>(
    mountedFile('prometheus', configFlag?.slice('--config.file='.length) ?? '?'),
  );
  const jobs = new Map(config.scrape_configs.map((job) => [job.job_name, job]));

  test.each(SYSTEM_PROCESS_NAMES)(
    'scrapes /metrics of every replica of %s, on the port it serves them',
    (name) => {
      const env = containerEnvironment(containerOf(name), dotEnv);
      const port =
        SYSTEM_PROCESSES[name].kind === 'api'
          ? (CONFIG_SCHEMAS[name].shape.PORT?.parse(env.PORT) as number)
          : Number(env.METRICS_PORT ?? DEFAULT_METRICS_PORT);
      const job = jobs.get(name);
      expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
      // DNS discovery: the service's name answers every replica's address.
      expect(job?.dns_sd_configs).toEqual([{ names: [name], type: 'A', port }]);
    },
  );

  test('scrapes the collector, and only services compose runs', () => {
    const targets = config.scrape_configs.flatMap((job) => [
      ...(job.dns_sd_configs ?? []).flatMap((sd) => sd.names),
      ...(job.static_configs ?? []).flatMap((sc) => sc.targets.map((target) => target.split(':')[0])),
    ]);
    expect(targets).toContain('otel-collector');
    for (const target of targets) expect(Object.keys(compose.services)).toContain(target);
  });
});

describe('the OpenTelemetry collector', () => {
  interface CollectorConfig {
    receivers: { otlp: { protocols: { http: { endpoint: string } } } };
    exporters: { prometheus?: { endpoint: string } };
    service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
  }
  const configFlag = containerOf('otel-collector').command?.find((flag) => flag.startsWith('--config='));
  const config = readYaml<CollectorConfig>(
    mountedFile('otel-collector', configFlag?.slice('--config='.length) ?? '?'),
  );

  test('every process exports its traces to it once OTEL_EXPORTER_OTLP_ENDPOINT is set, and none without', () => {
    const endpoint = 'http://otel-collector:4318';
    const port = config.receivers.otlp.protocols.http.endpoint.split(':').at(-1);
    expect(new URL(endpoint).port).toBe(port);
    expect(config.service.pipelines.traces?.receivers).toContain('otlp');
    for (const name of SYSTEM_PROCESS_NAMES) {
      const schema = CONFIG_SCHEMAS[name].shape.OTEL_EXPORTER_OTLP_ENDPOINT;
      const without = containerEnvironment(containerOf(name), dotEnv);
      const withIt = containerEnvironment(containerOf(name), {
        ...dotEnv,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      });
      expect({
        name,
        without: without.OTEL_EXPORTER_OTLP_ENDPOINT,
        with: withIt.OTEL_EXPORTER_OTLP_ENDPOINT,
      }).toEqual({
        name,
        without: undefined,
        with: endpoint,
      });
      expect(schema?.parse(withIt.OTEL_EXPORTER_OTLP_ENDPOINT)).toBe(endpoint);
    }
  });

  test('hands the request metrics it derives to the port Prometheus scrapes', () => {
    const metricsPort = config.exporters.prometheus?.endpoint.split(':').at(-1);
    const prometheus = readYaml<{ scrape_configs: { static_configs?: { targets: string[] }[] }[] }>(
      'deploy/observability/prometheus.yaml',
    );
    const targets = prometheus.scrape_configs.flatMap((job) =>
      (job.static_configs ?? []).flatMap((sc) => sc.targets),
    );
    expect(targets).toContain(`otel-collector:${metricsPort}`);
    const pipelines = Object.values(config.service.pipelines);
    expect(pipelines.some((pipeline) => pipeline.exporters.includes('prometheus'))).toBe(true);
  });
});

describe('Grafana', () => {
  const grafana = containerOf('grafana');

  test('is provisioned with Prometheus as its data source', () => {
    const provisioning = mountedFile('grafana', '/etc/grafana/provisioning/datasources');
    const { datasources } = readYaml<{ datasources: { type: string; url: string }[] }>(
      `${provisioning}/prometheus.yaml`,
    );
    expect(datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    expect(Object.keys(grafana.depends_on ?? {})).toContain('prometheus');
  });

  test("loads the dashboards of deploy/observability/grafana/dashboards from where they're mounted", () => {
    const provisioning = mountedFile('grafana', '/etc/grafana/provisioning/dashboards');
    const { providers } = readYaml<{ providers: { type: string; options: { path: string } }[] }>(
      `${provisioning}/delivery.yaml`,
    );
    expect(providers).toHaveLength(1);
    const path = providers[0]?.options.path ?? '?';
    expect(mountedFile('grafana', path)).toBe('deploy/observability/grafana/dashboards');
    expect(statSync(join(repo, 'deploy/observability/grafana/dashboards')).isDirectory()).toBe(true);
  });

  test('is reached from this machine alone, with a password from .env', () => {
    expect(grafana.ports).toEqual(['127.0.0.1:3000:3000']);
    // make-secrets.sh writes it, as every variable compose requires (compose.test.ts).
    expect(String(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD)).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
  });
});
