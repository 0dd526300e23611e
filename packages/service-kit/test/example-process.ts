import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { authHeaders, testKeys, userToken } from '@delivery/testing';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const entry = 'packages/service-kit/example/main.ts';

export interface ExampleProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
}

/** Runs the example service the way production runs a service: its own process, config from env. */
export function spawnExample(env: Record<string, string>): ExampleProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}

/** Resolves once the service logs that it listens; rejects if it exits first or takes too long. */
export async function untilListening(example: ExampleProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void example.exited.then(() => {
    exited = true;
  });
  while (!example.output().includes('"msg":"listening"')) {
    if (exited) throw new Error(`example exited before listening:\n${example.output()}`);
    if (Date.now() > deadline) throw new Error(`example did not listen in time:\n${example.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The example serves the audience `example`, which the default test token does not name. */
export const exampleAuth = () => authHeaders(userToken({ audience: 'example' }));
