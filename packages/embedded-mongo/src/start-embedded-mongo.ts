import type { ChildProcess } from 'node:child_process';
import { ensureLauncherBuilt } from './build-launcher.js';
import { spawnLauncher } from './launcher-process.js';

export type EmbeddedMongoBackend = 'memory' | 'h2';

export interface EmbeddedMongoOptions {
  backend: EmbeddedMongoBackend;
  /** H2 store file; required for the h2 backend, ignored by memory. */
  dataFile?: string;
  /** 0 or absent picks a free port; a fixed port lets a test stop and restart the same server. */
  port?: number;
  /** Interface to bind; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** How long to wait for the launcher to listen. */
  readyTimeoutMs?: number;
  /** Where the launcher's own messages go (a damaged data file, its repair); stderr by default. */
  log?: (line: string) => void;
}

export interface LauncherExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EmbeddedMongo {
  url: string;
  port: number;
  pid: number;
  /** Settles when the java process ends, whether by stop() or not. */
  exited: Promise<LauncherExit>;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;

export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  if (options.backend === 'h2' && !options.dataFile) {
    throw new Error('embedded-mongo: the h2 backend needs dataFile');
  }
  const host = options.host ?? '127.0.0.1';
  const jar = await ensureLauncherBuilt();
  const { child, port } = await spawnLauncher(
    {
      jar,
      backend: options.backend,
      dataFile: options.backend === 'h2' ? options.dataFile : undefined,
      host,
      port: options.port ?? 0,
      log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    },
    options.readyTimeoutMs ?? 30_000,
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('embedded-mongo: launcher has no pid');

  const exited = hasExited(child)
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise<LauncherExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stopping: Promise<void> | undefined;
  return {
    url: `mongodb://${host}:${port}`,
    port,
    pid,
    exited,
    stop: () => {
      stopping ??= stopLauncher(child);
      return stopping;
    },
  };
}

/** SIGTERM lets the launcher close its store (h2 data survives); SIGKILL if it does not go in time. */
async function stopLauncher(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
  });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
