import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { parseAllDocuments } from 'yaml';

/**
 * deploy/monitoring read as Prometheus and Grafana read it: the ServiceMonitors, the alert rules
 * and the dashboard, and the metric names their PromQL expressions select.
 */

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const MONITORING_DIR = 'deploy/monitoring';
export const DASHBOARD_FILE = `${MONITORING_DIR}/delivery-dashboard.json`;
/** Where compose's Grafana (`observability` profile) loads dashboards from: the same file. */
export const COMPOSE_DASHBOARD_FILE = 'deploy/observability/grafana/dashboards/delivery.json';

/** Metrics Prometheus makes itself, not any process: `up` of every target. */
export const PROMETHEUS_OWN_METRICS: ReadonlySet<string> = new Set(['up']);

// biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field by the tests
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec: any };

export const readRepoFile = (path: string): string => readFileSync(join(repo, path), 'utf8');

/** Every object of a YAML file of several documents (comments-only documents left out). */
export function manifestsOf(path: string): Manifest[] {
  return parseAllDocuments(readRepoFile(path)).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message}`);
    const value = document.toJS() as Manifest | null;
    return value ? [value] : [];
  });
}

export interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

export function ruleGroups(): RuleGroup[] {
  return manifestsOf(`${MONITORING_DIR}/prometheus-rules.yaml`)
    .filter((manifest) => manifest.kind === 'PrometheusRule')
    .flatMap((manifest) => manifest.spec.groups as RuleGroup[]);
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
}

export const dashboard = (): Dashboard => JSON.parse(readRepoFile(DASHBOARD_FILE)) as Dashboard;

/** Every panel, those inside collapsed rows too. */
export const panelsOf = (board: Dashboard): Panel[] =>
  board.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);

/** An expression or a query of the dashboard, with where it is (for messages). */
export interface NamedQuery {
  where: string;
  expr: string;
}

/** Grafana's own variables, as Grafana fills them in before Prometheus sees the query. */
const withGrafanaVariables = (expr: string) =>
  expr.replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '30s').replaceAll('$__range', '1h');

export function dashboardQueries(board: Dashboard = dashboard()): NamedQuery[] {
  const panels = panelsOf(board).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `panel "${panel.title}" ${target.refId}`,
      expr: withGrafanaVariables(target.expr),
    })),
  );
  // Variables' `label_values(<selector>, <label>)`: the selector is PromQL.
  const variables = board.templating.list.flatMap((variable) => {
    const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
    const selector = /^label_values\((.*),\s*\w+\)$/.exec(query)?.[1];
    return variable.type === 'query' && selector
      ? [{ where: `variable ${variable.name}`, expr: selector }]
      : [];
  });
  return [...panels, ...variables];
}

export const ruleQueries = (groups: RuleGroup[] = ruleGroups()): NamedQuery[] =>
  groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })));

export interface ParsedQuery {
  /** The metric names its selectors name. */
  metrics: string[];
  /** What Prometheus' grammar could not parse, as `offset: text`. */
  errors: string[];
}

/** Parses a PromQL expression with Prometheus' own grammar (the one its UI uses). */
export function parsePromQL(expr: string): ParsedQuery {
  const metrics: string[] = [];
  const errors: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError) errors.push(`${cursor.from}: "${expr.slice(cursor.from, cursor.from + 20)}"`);
    if (cursor.type.name === 'VectorSelector') {
      const selector = cursor.node.getChild('Identifier');
      if (selector) metrics.push(expr.slice(selector.from, selector.to));
    }
  } while (cursor.next());
  return { metrics, errors };
}

/** Every metric the rules and the dashboard name, with where each is named. */
export function namedMetrics(): Map<string, string[]> {
  const named = new Map<string, string[]>();
  for (const { where, expr } of [...ruleQueries(), ...dashboardQueries()]) {
    for (const metric of parsePromQL(expr).metrics) named.set(metric, [...(named.get(metric) ?? []), where]);
  }
  return named;
}
