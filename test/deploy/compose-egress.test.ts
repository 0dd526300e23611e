import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEgressPolicy, type EgressPolicy, parseHostPattern } from '@delivery/service-kit/egress';
import type { WorkerConfig as JobRunnerWorkerConfig } from '../../services/job-runner/src/config.js';
import {
  type PlatformService,
  platformServiceOf,
} from '../../services/job-runner/src/handlers/shared/platform-services.js';
import type { WorkerConfig as TemplateBlueprintWorkerConfig } from '../../services/template-blueprint/src/config.js';
import { CONFIG_SCHEMAS, processEnvironment, secretsEnv } from './compose-configs.js';
import { compose, type SystemProcess } from './compose-file.js';
import { makeIdentityVolumes, type Volumes } from './compose-volumes.js';

// The workers' egress policy, computed with service-kit's own code from the configuration each
// worker parses out of its compose environment, as the worker does at start (its worker.ts): it
// must let a job-runner worker read every platform URL it names at whatever private address
// compose gives those containers, and nothing else private.

let dir: string;
let dotEnv: Record<string, string>;
let volumes: Volumes;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compose-egress-'));
  [dotEnv, volumes] = await Promise.all([secretsEnv(dir), makeIdentityVolumes(dir)]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configOf = <T>(name: SystemProcess): T =>
  CONFIG_SCHEMAS[name].parse(processEnvironment(name, dotEnv, volumes)) as T;

/**
 * Addresses compose may give a container: the engine's default pools (172.17–31/16 and
 * 192.168/16 in /20s), a daemon configured for 10/8, and an IPv6 network's unique-local range.
 */
const COMPOSE_ADDRESSES = ['172.18.0.7', '172.31.240.3', '192.168.16.4', '10.89.0.12', 'fd00:dead:beef::5'];

/** What one refusal of the policy says, or `allowed`. */
function verdict(check: () => void): string {
  try {
    check();
    return 'allowed';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('job-runner-worker', () => {
  let config: JobRunnerWorkerConfig;
  let platforms: PlatformService[];
  /** The policy of build and test jobs' reads (worker.ts: `egress`). */
  let reads: EgressPolicy;
  /** The policy of the http executor (worker.ts: `executorEgress`): no platform services. */
  let executor: EgressPolicy;
  beforeAll(() => {
    config = configOf<JobRunnerWorkerConfig>('job-runner-worker');
    platforms = config.PLATFORM_SERVICE_URLS;
    const input = { allowedHosts: config.EGRESS_ALLOWED_HOSTS, allowPrivate: config.EGRESS_ALLOW_PRIVATE };
    reads = createEgressPolicy({ ...input, platformUrls: platforms.map((platform) => platform.url) });
    executor = createEgressPolicy(input);
  });

  test('names the platform services its jobs read from: blueprints and artifacts', () => {
    expect(platforms.map((platform) => platform.audience).sort()).toEqual(['pipeline', 'template-blueprint']);
  });

  test('may read every platform URL it names, at any address compose gives those containers', () => {
    for (const { url } of platforms) {
      const target = new URL('/some/read', url);
      expect({ url, check: verdict(() => reads.checkUrl(target)) }).toEqual({ url, check: 'allowed' });
      for (const address of COMPOSE_ADDRESSES) {
        expect({ url, address, check: verdict(() => reads.checkAddress(target.hostname, address)) }).toEqual({
          url,
          address,
          check: 'allowed',
        });
      }
    }
  });

  test("may read the artifacts at the URLs pipeline puts into its jobs (pipeline's PUBLIC_URL)", () => {
    const { PUBLIC_URL } = configOf<{ PUBLIC_URL: string }>('pipeline');
    const artifact = `${PUBLIC_URL}/projects/p-1/artifacts/f-1`;
    expect(platformServiceOf(platforms, artifact)?.audience).toBe('pipeline');
    const { hostname } = new URL(artifact);
    expect(verdict(() => reads.checkUrl(new URL(artifact)))).toBe('allowed');
    expect(verdict(() => reads.checkAddress(hostname, COMPOSE_ADDRESSES[0] as string))).toBe('allowed');
  });

  test('is allowed private addresses for those hosts alone: no range, no other container', () => {
    const reachable = [
      ...config.EGRESS_ALLOWED_HOSTS.map((entry) => parseHostPattern(entry).host),
      ...platforms.map((platform) => new URL(platform.url).hostname),
    ];
    expect(config.EGRESS_ALLOW_PRIVATE.length).toBeGreaterThan(0);
    for (const entry of config.EGRESS_ALLOW_PRIVATE) {
      expect({ entry, reachable: reachable.includes(entry) }).toEqual({ entry, reachable: true });
    }
    const others = Object.keys(compose.services).filter(
      (service) => !platforms.some((platform) => new URL(platform.url).hostname === service),
    );
    expect(others).toEqual(expect.arrayContaining(['mongo', 'rabbitmq', 'gateway', 'hitl', 'job-runner']));
    for (const host of others) {
      expect(verdict(() => reads.checkAddress(host, '172.18.0.9'))).toBe(
        `egress refused: 172.18.0.9 (private) for host ${host}; allow it in EGRESS_ALLOW_PRIVATE`,
      );
    }
    expect(verdict(() => reads.checkUrl(new URL('http://169.254.169.254/latest/meta-data')))).toMatch(
      /^egress refused/,
    );
    expect(verdict(() => reads.checkUrl(new URL('http://rabbitmq:15672/api/users')))).toMatch(
      /^egress refused/,
    );
  });

  test('an http executor call reaches no platform service', () => {
    for (const { url } of platforms) {
      expect(verdict(() => executor.checkUrl(new URL('/internal', url)))).toBe(
        `egress refused: host ${new URL(url).host} is not in EGRESS_ALLOWED_HOSTS`,
      );
    }
  });
});

test('template-blueprint-worker reaches nothing private (its LLM endpoint is public)', () => {
  const config = configOf<TemplateBlueprintWorkerConfig>('template-blueprint-worker');
  expect(config.EGRESS_ALLOW_PRIVATE).toEqual([]);
  const policy = createEgressPolicy({
    allowedHosts: config.EGRESS_ALLOWED_HOSTS,
    allowPrivate: config.EGRESS_ALLOW_PRIVATE,
    platformUrls: config.LLM_BASE_URL ? [config.LLM_BASE_URL] : [],
  });
  expect(verdict(() => policy.checkUrl(new URL('http://pipeline:4004/projects')))).toMatch(/^egress refused/);
});
