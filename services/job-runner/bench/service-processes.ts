import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const STDERR_TAIL = 2_000;

/**
 * The real job-runner processes, started as `npm start` and Kubernetes start them
 * (`node --import tsx src/<entry>.ts`). Keeps each one's last stderr to explain a crash.
 */
export class ServiceProcesses {
  private readonly children: { name: string; child: ChildProcess; stderr: string }[] = [];

  spawn(name: string, entry: 'main' | 'worker', env: Record<string, string>): void {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/${entry}.ts`], {
      cwd: serviceDir,
      env: { ...withoutTelemetry(process.env), ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const record = { name, child, stderr: '' };
    child.stderr?.on('data', (chunk: Buffer) => {
      record.stderr = (record.stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    this.children.push(record);
  }

  /** Throws if a process has exited: a crashed worker would otherwise look like a slow one. */
  assertAlive(): void {
    const dead = this.children.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
    if (dead) {
      const tail = dead.stderr.trim().split('\n').slice(-3).join(' | ');
      throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}): ${tail}`);
    }
  }

  async waitReady(baseUrl: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertAlive();
      const response = await fetch(`${baseUrl}/readyz`).catch(() => undefined);
      if (response?.ok) return;
      if (Date.now() > deadline) throw new Error(`${baseUrl}/readyz not ready after ${timeoutMs / 1000} s`);
      await sleep(200, undefined, { signal });
    }
  }

  /** SIGTERM (graceful drain), then SIGKILL whatever is still running after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    const running = this.children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    await Promise.all(
      running.map(async ({ child }) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

/** A tracing exporter configured in the caller's shell would add its own cost to the figures. */
function withoutTelemetry(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint, ...rest } = env;
  return rest;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
