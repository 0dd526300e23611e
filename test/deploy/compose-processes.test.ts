import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startTestServer } from '@delivery/testing';
import { CONFIG_SCHEMAS, processEnvironment, secretsEnv } from './compose-configs.js';
import {
  type Container,
  compose,
  containerOf,
  SYSTEM_PROCESS_NAMES,
  SYSTEM_PROCESSES,
  type SystemProcess,
} from './compose-file.js';
import { interpolate } from './compose-interpolation.js';
import { makeIdentityVolumes, type Volumes } from './compose-volumes.js';

// Each process of the system as compose runs it, with no Docker engine here: its own service and
// image, scalable where it is a worker, locked down, with a healthcheck that really asks /readyz,
// and an environment its own config schema accepts (with .env as make-secrets.sh writes it, and
// the identity volumes as the key maker fills them).

const run = promisify(execFile);

let dir: string;
let dotEnv: Record<string, string>;
let volumes: Volumes;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compose-processes-'));
  [dotEnv, volumes] = await Promise.all([secretsEnv(dir), makeIdentityVolumes(dir)]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const environment = (name: SystemProcess) => processEnvironment(name, dotEnv, volumes);
const isWorker = (name: SystemProcess) => SYSTEM_PROCESSES[name].kind === 'worker';

test('every process of the system is a compose service of its own', () => {
  const ours = Object.entries(compose.services)
    .filter(([, container]) => String(container.image ?? '').startsWith('delivery/'))
    .filter(([, container]) => container.command === undefined && container.entrypoint === undefined)
    .map(([name]) => name);
  expect(ours.sort()).toEqual([...SYSTEM_PROCESS_NAMES].sort());
});

describe.each(SYSTEM_PROCESS_NAMES)('%s', (name) => {
  const container = containerOf(name);

  test('is built from the Dockerfile target of its name, as delivery/<name>:<TAG, or dev>', () => {
    expect(container.build).toEqual({ context: '.', target: name });
    expect(interpolate(container.image ?? '', {})).toBe(`delivery/${name}:dev`);
    expect(interpolate(container.image ?? '', { TAG: '1.4.2' })).toBe(`delivery/${name}:1.4.2`);
  });

  test('runs as 10001:10001 on a read-only root filesystem, /tmp its one writable place', () => {
    expect({ user: container.user, readOnly: container.read_only }).toEqual({
      user: '10001:10001',
      readOnly: true,
    });
    expect([container.tmpfs].flat()).toEqual(['/tmp']);
    expect(container.volumes?.filter((volume) => !volume.endsWith(':ro')) ?? []).toEqual([]);
  });

  test('its environment is accepted by its own config schema', () => {
    const parsed = CONFIG_SCHEMAS[name].safeParse(environment(name));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  test('sets no variable its config does not read (a misspelt one would be ignored silently)', () => {
    const known = Object.keys(CONFIG_SCHEMAS[name].shape);
    expect(Object.keys(container.environment ?? {}).filter((variable) => !known.includes(variable))).toEqual(
      [],
    );
  });

  test('has a healthcheck asking its /readyz', () => {
    const [form, command, flag, script] = [container.healthcheck?.test ?? []].flat();
    expect([form, command, flag]).toEqual(['CMD', 'node', '-e']);
    expect(script).toContain('/readyz');
    expect(container.healthcheck?.interval).toBeDefined();
    expect(container.healthcheck?.start_period).toBeDefined();
  });

  if (isWorker(name)) {
    test('scales with --scale: no fixed name, hostname, published port or worker id', () => {
      expect(container.container_name).toBeUndefined();
      expect(container.hostname).toBeUndefined();
      expect(container.ports).toBeUndefined();
      // WORKER_ID defaults to the container's hostname and pid: one per replica.
      expect(container.environment?.WORKER_ID).toBeUndefined();
    });

    test('is given the 40 s its shutdown may take (running jobs drain) before it is killed', () => {
      expect(container.stop_grace_period).toBe('45s');
    });
  }
});

describe('the healthchecks, run as the engine runs them', () => {
  /** Each distinct healthcheck command once, with the variable its port comes from. */
  const commands = new Map<string, { script: string; portVariable: string; processes: string[] }>();
  for (const name of SYSTEM_PROCESS_NAMES) {
    const script = [containerOf(name).healthcheck?.test ?? []].flat()[3] ?? '';
    const entry = commands.get(script) ?? {
      script,
      portVariable: isWorker(name) ? 'METRICS_PORT' : 'PORT',
      processes: [],
    };
    entry.processes.push(name);
    commands.set(script, entry);
  }

  const runHealthcheck = (script: string, env: Record<string, string>) =>
    run(process.execPath, ['-e', script], { env, timeout: 15_000 }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );

  test.each([...commands.values()].map((entry) => [entry.processes.join(', '), entry] as const))(
    '%s: healthy when /readyz on its port answers 2xx, unhealthy otherwise',
    async (_processes, { script, portVariable }) => {
      let status = 200;
      const server = await startTestServer((_req, res) => res.writeHead(status).end());
      try {
        const port = new URL(server.url).port;
        expect(await runHealthcheck(script, { [portVariable]: port })).toBe(0);
        status = 503;
        expect(await runHealthcheck(script, { [portVariable]: port })).toBe(1);
        expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
          'GET /readyz',
          'GET /readyz',
        ]);
      } finally {
        await server.close();
      }
      expect(await runHealthcheck(script, { [portVariable]: String(await freePort()) })).toBe(1);
    },
  );

  test('an API process is asked on the PORT its config listens on', () => {
    for (const name of SYSTEM_PROCESS_NAMES.filter((process) => !isWorker(process))) {
      const config = CONFIG_SCHEMAS[name].parse(environment(name)) as { PORT: number };
      expect({ name, port: config.PORT }).toEqual({ name, port: Number(environment(name).PORT) });
    }
  });
});

test('every service URL a process is given reaches an API process of that service on its PORT', () => {
  const apiPorts = new Map(
    SYSTEM_PROCESS_NAMES.filter((name) => !isWorker(name)).map((name) => [
      name,
      (CONFIG_SCHEMAS[name].parse(environment(name)) as { PORT: number }).PORT,
    ]),
  );
  const links: { from: string; variable: string; url: string; expected: string }[] = [];
  for (const name of SYSTEM_PROCESS_NAMES) {
    for (const [variable, value] of Object.entries(environment(name))) {
      if (/^[A-Z_]+_URL$/.test(variable) && /^https?:/.test(value)) {
        // PIPELINE_URL is pipeline's, PUBLIC_URL the process's own service's.
        const expected =
          variable === 'PUBLIC_URL' ? SYSTEM_PROCESSES[name].service : variable.slice(0, -4).toLowerCase();
        links.push({ from: name, variable, url: value, expected: expected.replaceAll('_', '-') });
      }
      if (variable === 'PLATFORM_SERVICE_URLS') {
        for (const entry of value.split(',')) {
          const [service = '', url = ''] = entry.split('=');
          links.push({ from: name, variable, url, expected: service });
        }
      }
    }
  }
  expect(links.length).toBeGreaterThan(0);
  for (const { from, variable, url, expected } of links) {
    const { hostname, port } = new URL(url);
    expect({ from, variable, reaches: `${hostname}:${port}` }).toEqual({
      from,
      variable,
      reaches: `${expected}:${apiPorts.get(expected as SystemProcess)}`,
    });
  }
});

test('the gateway alone is published, and on its PORT', () => {
  const gateway: Container = containerOf('gateway');
  expect(gateway.ports).toEqual([`${environment('gateway').PORT}:${environment('gateway').PORT}`]);
});
