import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm start`'s launcher: everything comes up, and Ctrl-C stops all of it, java included. */
const dataDir = mkdtempSync(join(tmpdir(), 'start-test-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

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

const processesUsing = (needle: string): string =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'))
    .join('\n');

test('starts the system on the embedded store and stops every process on SIGINT', async () => {
  const port = await freePort();
  const { MONGO_URL: _ignored, ...env } = process.env;
  const launcher = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...env, BASE_PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  launcher.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  launcher.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });

  const jobRunner = `http://127.0.0.1:${port + 1}`;
  await untilOk(`${jobRunner}/readyz`, 60_000);
  expect(output).toContain('MongoDB (embedded)');
  expect(processesUsing(dataDir)).not.toBe('');

  // The system works end to end: a job goes through the API to a worker process and succeeds.
  const enqueued = await fetch(`${jobRunner}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      projectId: 'p-start',
      stage: '3_build',
      kind: 'noop',
      idempotencyKey: 'start-smoke',
    }),
  });
  const { id } = (await enqueued.json()) as { id: string };
  const deadline = Date.now() + 30_000;
  let status = '';
  while (status !== 'SUCCESS' && Date.now() < deadline) {
    status = ((await (await fetch(`${jobRunner}/jobs/${id}`)).json()) as { status: string }).status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(status).toBe('SUCCESS');

  launcher.kill('SIGINT');
  const [code] = await once(launcher, 'exit');
  expect({ code, output }).toMatchObject({ code: 0 });
  expect(output).toContain('[start] stopped');
  expect(processesUsing(dataDir)).toBe('');
  await expect(fetch(`${jobRunner}/healthz`)).rejects.toThrow();
});
