import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { exportedMetricNames } from '@delivery/service-kit';
import { parse } from 'yaml';
// The modules that define each service's own metrics: loading them registers those metrics in
// the process's registry, as starting the service does.
import '../../services/gateway/src/events/event-metrics.js';
import '../../services/hitl/src/approval-metrics.js';
import '../../services/job-runner/src/job-metrics.js';
import { SYSTEM_PROCESSES } from '../system/system-env.js';
import {
  COMPOSE_DASHBOARD_FILE,
  DASHBOARD_FILE,
  dashboard,
  dashboardQueries,
  type Manifest,
  MONITORING_DIR,
  manifestsOf,
  namedMetrics,
  PROMETHEUS_OWN_METRICS,
  panelsOf,
  parsePromQL,
  readRepoFile,
  repo,
  ruleGroups,
  ruleQueries,
} from './monitoring-files.js';

// deploy/monitoring as Prometheus, the operator and Grafana read it: every file parses, every
// expression is PromQL, and every metric an alert or a panel names is one a process exports
// (collected from the metrics the code defines; test/system/metrics.test.ts finds them on the
// processes' pages too).

const WORKERS = new Set(['job-runner-worker', 'template-blueprint-worker']);

describe('PromQL', () => {
  test.each([...ruleQueries(), ...dashboardQueries()])('$where parses', ({ expr }) => {
    expect(parsePromQL(expr).errors).toEqual([]);
    expect(parsePromQL(expr).metrics.length).toBeGreaterThan(0);
  });

  test('the parser sees what is wrong and which metrics are named', () => {
    expect(parsePromQL('sum(rate(foo_total[5m]) by (x)').errors).not.toEqual([]);
    expect(
      parsePromQL(
        'max by (q) (delta(a_total{x="y"}[15m])) > 0 and on (q) b == 1 or histogram_quantile(0.9, c_bucket)',
      ).metrics,
    ).toEqual(['a_total', 'b', 'c_bucket']);
  });
});

test('every metric the alerts and the dashboard name is one a process exports', () => {
  const exported = new Set(exportedMetricNames());
  const unknown = [...namedMetrics()]
    .filter(([metric]) => !exported.has(metric) && !PROMETHEUS_OWN_METRICS.has(metric))
    .map(([metric, where]) => `${metric} (${where.join(', ')})`);
  expect(unknown).toEqual([]);
  // The check can fail: a misspelt name is not exported.
  expect(exported.has('delivery_job_duration_second_bucket')).toBe(false);
  expect(exported.has('delivery_job_duration_seconds_bucket')).toBe(true);
});

test('every metric of ours is on the dashboard', () => {
  const shown = new Set(dashboardQueries().flatMap(({ expr }) => parsePromQL(expr).metrics));
  const families = new Map<string, string[]>();
  for (const name of exportedMetricNames().filter((metric) => metric.startsWith('delivery_'))) {
    const family = name.replace(/_(bucket|sum|count)$/, '');
    families.set(family, [...(families.get(family) ?? []), name]);
  }
  const missing = [...families]
    .filter(([family, names]) => ![family, ...names].some((name) => shown.has(name)))
    .map(([family]) => family)
    // Names the process on every page; the dashboard's variables read it (label_values).
    .filter((family) => family !== 'delivery_process_info' || !shown.has(family));
  expect(missing).toEqual([]);
});

describe('the alert rules', () => {
  const groups = ruleGroups();
  const rules = groups.flatMap((group) => group.rules);

  test('are one PrometheusRule of named groups, each alert named once', () => {
    const manifests = manifestsOf(`${MONITORING_DIR}/prometheus-rules.yaml`);
    expect(manifests.map((manifest) => `${manifest.apiVersion} ${manifest.kind}`)).toEqual([
      'monitoring.coreos.com/v1 PrometheusRule',
    ]);
    expect(new Set(groups.map((group) => group.name)).size).toBe(groups.length);
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
  });

  test.each(rules.map((rule) => [rule.alert, rule] as const))(
    '%s has a severity, a summary and a valid duration',
    (_alert, rule) => {
      expect(
        Object.keys(rule).every((key) => ['alert', 'expr', 'for', 'labels', 'annotations'].includes(key)),
      ).toBe(true);
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smhd]$/);
    },
  );

  test('cover what the issue asks: dead letters growing, old jobs and outbox entries, expiring approvals, readiness, restarts', () => {
    const byMetric = (metric: string) =>
      rules.filter((rule) => parsePromQL(rule.expr).metrics.includes(metric)).map((rule) => rule.alert);
    expect(byMetric('delivery_dead_letter_messages')).toContain('DeliveryDeadLettersGrowing');
    expect(byMetric('delivery_jobs_oldest_queued_age_seconds')).toContain('DeliveryJobWaitingTooLong');
    expect(byMetric('delivery_outbox_oldest_age_seconds')).toContain('DeliveryOutboxEntryTooOld');
    expect(byMetric('delivery_approvals_next_expiry_seconds')).toContain('DeliveryApprovalAboutToExpire');
    expect(byMetric('delivery_readiness_check')).toContain('DeliveryNotReady');
    expect(byMetric('process_start_time_seconds')).toContain('DeliveryProcessRestarting');
  });

  test('that watch targets by job name every process of the system', () => {
    for (const rule of rules.filter((candidate) => /job=~"/.test(candidate.expr))) {
      const jobs = /job=~"([^"]+)"/.exec(rule.expr)?.[1]?.split('|').sort();
      expect({ alert: rule.alert, jobs }).toEqual({ alert: rule.alert, jobs: [...SYSTEM_PROCESSES].sort() });
    }
  });
});

describe('the ServiceMonitors', () => {
  const monitors = manifestsOf(`${MONITORING_DIR}/service-monitors.yaml`);

  test('one per process of the system, and nothing else', () => {
    expect(monitors.map((monitor) => `${monitor.apiVersion} ${monitor.kind}`)).toEqual(
      SYSTEM_PROCESSES.map(() => 'monitoring.coreos.com/v1 ServiceMonitor'),
    );
    expect(monitors.map((monitor) => monitor.metadata.name).sort()).toEqual([...SYSTEM_PROCESSES].sort());
  });

  test.each(monitors.map((monitor) => [monitor.metadata.name, monitor] as const))(
    '%s: its Service by name, /metrics on the port it serves them, its name as the job',
    (name, monitor) => {
      expect(monitor.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': name } });
      expect(monitor.spec.jobLabel).toBe('app.kubernetes.io/name');
      expect(monitor.spec.endpoints).toEqual([
        expect.objectContaining({ port: WORKERS.has(name) ? 'metrics' : 'http', path: '/metrics' }),
      ]);
    },
  );

  // The system's manifests are another part of the work (deploy/k8s); once they are there, each
  // ServiceMonitor must find its Service, with the port it names.
  const base = join(repo, 'deploy/k8s/base');
  (existsSync(base) ? test : test.skip)('each finds its Service in deploy/k8s/base, with that port', () => {
    const services = readdirSync(base)
      .filter((file) => file.endsWith('.yaml'))
      .flatMap((file) => manifestsOf(`deploy/k8s/base/${file}`))
      .filter((manifest) => manifest.kind === 'Service') as (Manifest & {
      metadata: { labels?: Record<string, string> };
    })[];
    for (const monitor of monitors) {
      const wanted = monitor.spec.selector.matchLabels as Record<string, string>;
      const service = services.find((candidate) =>
        Object.entries(wanted).every(([label, value]) => candidate.metadata.labels?.[label] === value),
      );
      const ports = (service?.spec.ports ?? []).map((port: { name?: string }) => port.name);
      expect({ monitor: monitor.metadata.name, ports }).toEqual({
        monitor: monitor.metadata.name,
        ports: expect.arrayContaining([monitor.spec.endpoints[0].port]),
      });
    }
  });
});

describe('the dashboard', () => {
  const board = dashboard();

  test('is the same file for Kubernetes and for compose', () => {
    expect(readRepoFile(COMPOSE_DASHBOARD_FILE)).toBe(readRepoFile(DASHBOARD_FILE));
  });

  test('its panels have unique ids and query Prometheus through the data-source variable', () => {
    const panels = panelsOf(board);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const panel of panels.filter((candidate) => candidate.type !== 'row')) {
      expect({ panel: panel.title, datasource: panel.datasource }).toEqual({
        panel: panel.title,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable, not a template
        datasource: { type: 'prometheus', uid: '${datasource}' },
      });
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
    expect(board.templating.list.map((variable) => variable.name)).toEqual([
      'datasource',
      'namespace',
      'job',
    ]);
  });
});

test('the kustomization lists every manifest here and makes the dashboard a ConfigMap for Grafana', () => {
  const kustomization = parse(readRepoFile(`${MONITORING_DIR}/kustomization.yaml`)) as {
    resources: string[];
    configMapGenerator: { files: string[]; options: { labels: Record<string, string> } }[];
  };
  const manifests = readdirSync(join(repo, MONITORING_DIR)).filter(
    (file) => file.endsWith('.yaml') && file !== 'kustomization.yaml',
  );
  expect([...kustomization.resources].sort()).toEqual(manifests.sort());
  expect(kustomization.configMapGenerator).toEqual([
    expect.objectContaining({
      files: ['delivery-dashboard.json'],
      options: expect.objectContaining({ labels: { grafana_dashboard: '1' } }),
    }),
  ]);
});
