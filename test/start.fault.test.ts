import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIsolatedVhost, type IsolatedVhost } from '@delivery/testing';
import { processes } from '../scripts/processes.js';

/**
 * `npm start`'s launcher: everything comes up, one Ctrl-C stops all of it gracefully (java
 * included), a dead embedded store comes back, and a killed launcher leaves nothing behind.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'start-test-'));

// Each start gets a vhost of its own: queues left in '/' by other runs cannot get in the way.
const vhosts: IsolatedVhost[] = [];

// Every launcher started, so one a failed test left running is stopped too.
const launchers: ChildProcess[] = [];

// After each test: a system a failed test left running would hold the next one's data file.
afterEach(async () => {
  await Promise.all(launchers.splice(0).map(stopLeftOver));
});

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await Promise.all(vhosts.map((vhost) => vhost.delete()));
});

/** A launcher still running: Ctrl-C (its children stop with it), then SIGKILL after a minute. */
async function stopLeftOver(launcher: ChildProcess): Promise<void> {
  if (launcher.exitCode !== null || launcher.signalCode !== null) return;
  const exited = once(launcher, 'exit');
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(launcher.pid as number), name);
    } catch {
      // Its group is gone already.
    }
  };
  signal('SIGINT');
  const timer = setTimeout(() => signal('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
}

/**
 * fetch, sent once more when it went out on a kept-alive connection the server had just closed
 * ('other side closed'): on a loaded machine the client's idle timer fires late and loses that
 * race. It is a transport hazard, not what these tests check; a refused connection still fails.
 */
async function fetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await globalThis.fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code !== 'UND_ERR_SOCKET') throw error;
    return globalThis.fetch(url, init);
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function untilOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return;
    if (Date.now() > deadline) throw new Error(`${url} never answered 200`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let cliToken: string | undefined;

/**
 * A token from `npm run token`, which signs with the keys `npm start` created under DATA_DIR.
 * Made once: the later tests start the system again and it must still be accepted.
 */
function token(): string {
  cliToken ??= execFileSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/token.ts', '--roles', 'admin,operator', '--name', 'Start Test'],
    { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' },
  ).trim();
  return cliToken;
}

const authorized = (headers: Record<string, string> = {}) => ({
  ...headers,
  authorization: `Bearer ${token()}`,
});

async function postJson(url: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: authorized({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  });
  return (await response.json()) as { id: string };
}

/** Polls a resource until its `status` is `wanted` (or 30 s pass); returns the last status seen. */
async function waitForStatus(url: string, wanted: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  let status = '';
  while (status !== wanted && Date.now() < deadline) {
    status = ((await (await fetch(url, { headers: authorized() })).json()) as { status: string }).status;
    if (status !== wanted) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return status;
}

const processesUsing = (needle: string): string =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'))
    .join('\n');

interface Started {
  launcher: ChildProcess;
  output: () => string;
  jobRunner: string;
  blueprints: string;
  hitl: string;
  gateway: string;
}

/** Starts `npm start`'s launcher as a terminal would: in its own process group, the foreground one. */
async function startSystem(): Promise<Started> {
  const port = await freePort();
  const { MONGO_URL: _ignored, ...env } = process.env;
  const vhost = await createIsolatedVhost(
    process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    'start',
  );
  vhosts.push(vhost);
  const launcher = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...env, BASE_PORT: String(port), DATA_DIR: dataDir, AMQP_URL: vhost.url },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  launchers.push(launcher);
  let output = '';
  launcher.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  launcher.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const jobRunner = `http://127.0.0.1:${port + 1}`;
  await untilOk(`${jobRunner}/readyz`, 60_000);
  return {
    launcher,
    output: () => output,
    jobRunner,
    blueprints: `http://127.0.0.1:${port + 2}`,
    hitl: `http://127.0.0.1:${port + 3}`,
    gateway: `http://127.0.0.1:${port}`,
  };
}

/**
 * How the supervisor said each child ended on stop: 'exit code 0', or else what it said (or that
 * it said nothing) with that child's last lines, so a failure names the process and shows why.
 */
function howEachStopped(output: string, names: string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => {
      const said = new RegExp(`\\[start\\] ${name} stopped \\(([^)]*)\\)`).exec(output)?.[1];
      const lastLines = output
        .split('\n')
        .filter((line) => line.startsWith(`[${name}]`) || line.startsWith(`[start] ${name} `))
        .slice(-8)
        .join('\n');
      return [
        name,
        said === 'exit code 0' ? said : `${said ?? 'not reported'}; its last lines:\n${lastLines}`,
      ];
    }),
  );
}

/** The pids the supervisor reported for its children. */
const childPids = (output: string): Map<string, number> =>
  new Map(
    [...output.matchAll(/\[start\] started (\S+) \(pid (\d+)\)/g)].map((m) => [m[1] ?? '', Number(m[2])]),
  );

const embeddedStorePid = (): number | undefined => {
  const line = processesUsing(join(dataDir, 'mongo.h2'))
    .split('\n')
    .find((l) => l.includes('embedded-mongo.jar'));
  return line ? Number(line.trim().split(/\s+/)[0]) : undefined;
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function untilAllExited(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
  return pids.filter(isAlive);
}

async function enqueueNoop(jobRunner: string, key: string): Promise<string> {
  const response = await fetch(`${jobRunner}/jobs`, {
    method: 'POST',
    headers: authorized({ 'content-type': 'application/json' }),
    body: JSON.stringify({ projectId: 'p-start', stage: '3_build', kind: 'noop', idempotencyKey: key }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

test('runs the system on the embedded store; one Ctrl-C stops every process gracefully, once', async () => {
  const { launcher, output, jobRunner, blueprints, hitl, gateway } = await startSystem();
  expect(output()).toContain('MongoDB (embedded)');
  expect(output()).toContain('RabbitMQ (env)');
  expect(processesUsing(dataDir)).not.toBe('');

  // The first start created the identity keys: a private key per service (0600) and the JWKS.
  const identityDir = join(dataDir, 'identity');
  const jwks = JSON.parse(readFileSync(join(identityDir, 'public-keys.jwks.json'), 'utf8'));
  expect(jwks.keys.map((key: { kid: string }) => key.kid).sort()).toEqual(
    ['gateway', 'hitl', 'job-runner', 'pipeline', 'template-blueprint'].sort(),
  );
  expect(statSync(join(identityDir, 'gateway.private.jwk.json')).mode & 0o777).toBe(0o600);
  // Every service needs a token; the one `npm run token` prints is accepted.
  expect((await fetch(`${jobRunner}/jobs`)).status).toBe(401);
  expect((await fetch(`${jobRunner}/jobs`, { headers: authorized() })).status).toBe(200);

  // The system works end to end: a job goes through the API to a worker process and succeeds.
  const id = await enqueueNoop(jobRunner, 'start-smoke');
  expect(await waitForStatus(`${jobRunner}/jobs/${id}`, 'SUCCESS')).toBe('SUCCESS');

  // ...and a blueprint is generated by the template-blueprint worker process.
  await untilOk(`${blueprints}/readyz`, 30_000);
  const template = await postJson(`${blueprints}/api/templates`, {
    name: 'Smoke template',
    content: { fields: [{ key: 'client', label: 'Client', type: 'text', required: true }] },
  });
  const run = await postJson(`${blueprints}/api/templates/${template.id}/blueprint/generate`, {});
  expect(await waitForStatus(`${blueprints}/api/blueprint-runs/${run.id}`, 'succeeded')).toBe('succeeded');

  // ...and hitl answers with its gates, to the same token.
  await untilOk(`${hitl}/readyz`, 30_000);
  const gates = await fetch(`${hitl}/gates/resolve?projectId=p-1&stage=3_build`, { headers: authorized() });
  expect(gates.status).toBe(200);
  expect(await gates.json()).toMatchObject({ decidedBy: 'default', gate: { required: false } });

  // ...and the gateway is the one address: the first start printed the admin's password, once.
  await untilOk(`${gateway}/readyz`, 30_000);
  const password = /sign in as admin@localhost with the password (\S+)/.exec(output())?.[1];
  expect(password).toEqual(expect.any(String));
  const login = await fetch(`${gateway}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@localhost', password }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  const templates = await fetch(`${gateway}/api/templates`, { headers: { cookie } });
  expect(templates.status).toBe(200);

  const children = childPids(output());
  expect([...children.keys()].sort()).toEqual(processes.map((spec) => spec.name).sort());
  // Nothing crashed on the way (the supervisor would have restarted it, and said so).
  expect(
    output()
      .split('\n')
      .filter((line) => /^\[start\] \S+ exited/.test(line)),
  ).toEqual([]);
  const store = embeddedStorePid();
  expect(store).toBeDefined();

  // Ctrl-C in a terminal: SIGINT to every process of the foreground group.
  process.kill(-(launcher.pid as number), 'SIGINT');
  const [code] = await once(launcher, 'exit');
  expect({ code, output: output() }).toMatchObject({ code: 0 });
  expect(output()).toContain('[start] stopped');
  expect(output()).not.toContain('second signal');
  const names = [...children.keys()];
  expect(howEachStopped(output(), names)).toEqual(
    Object.fromEntries(names.map((name) => [name, 'exit code 0'])),
  );
  expect(await untilAllExited([...children.values(), store as number], 10_000)).toEqual([]);
  expect(processesUsing(dataDir)).toBe('');
  await expect(fetch(`${jobRunner}/healthz`)).rejects.toThrow();
  await expect(fetch(`${blueprints}/healthz`)).rejects.toThrow();
});

test('restarts a killed embedded store on the same URL with the acknowledged data', async () => {
  const { launcher, output, jobRunner } = await startSystem();
  try {
    const id = await enqueueNoop(jobRunner, 'before-store-crash');
    const store = embeddedStorePid() as number;
    process.kill(store, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    while (!output().includes('the embedded MongoDB store is back') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(output()).toContain(`the embedded MongoDB store (pid ${store}) died (signal SIGKILL)`);
    expect(embeddedStorePid()).not.toBe(store);
    // The services' drivers find the restarted store by themselves, and the job is still there.
    expect(await waitForStatus(`${jobRunner}/jobs/${id}`, 'SUCCESS')).toBe('SUCCESS');
    expect(await enqueueNoop(jobRunner, 'after-store-crash')).toEqual(expect.any(String));
  } finally {
    process.kill(-(launcher.pid as number), 'SIGINT');
    await once(launcher, 'exit');
  }
  expect(processesUsing(dataDir)).toBe('');
});

test('leaves no process behind when the supervisor itself is SIGKILLed', async () => {
  const { launcher, output } = await startSystem();
  const pids = [...childPids(output()).values(), embeddedStorePid() as number];
  launcher.kill('SIGKILL');
  await once(launcher, 'exit');
  // Without a supervisor nothing orchestrates: each service shuts down on its own, within its
  // 40 s shutdown bound, and the store waits at most 45 s for its clients.
  expect(await untilAllExited(pids, 60_000)).toEqual([]);
  expect(processesUsing(dataDir)).toBe('');
});
