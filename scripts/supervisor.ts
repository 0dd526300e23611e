import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ProcessSpec } from './processes.js';

// Past every process's own bound on its shutdown (a worker's: 30 s of draining + 10 s), so a
// worker finishing a job is not cut short; SIGKILL is for a process that hangs past its bound.
const STOP_GRACE_MS = 45_000;
const MAX_RESTARTS_PER_MINUTE = 5;

// Ends a child when the supervisor dies without stopping it (see the file).
const EXIT_WITH_PARENT = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));

/**
 * Runs the system's processes for local use: prefixes their output, restarts one that crashes
 * (with a bound, so a crash loop surfaces instead of spinning), and on stop sends one SIGTERM to
 * each, waiting for it to drain before SIGKILL as a last resort.
 *
 * Each child runs in its own process group (`detached`): a terminal's Ctrl-C goes to the
 * foreground group, and if the children were in it they would get that SIGINT and then the
 * supervisor's SIGTERM, which their shutdown takes as "second signal; exit now".
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly restarts = new Map<string, number[]>();
  /** Restarts waiting out their back-off: a stop cancels them and says so. */
  private readonly pendingRestarts = new Map<string, NodeJS.Timeout>();
  private stopping = false;

  constructor(
    private readonly commonEnv: Record<string, string>,
    private readonly onGiveUp: (name: string) => void,
  ) {}

  start(spec: ProcessSpec): void {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', EXIT_WITH_PARENT, spec.entry], {
      env: { ...process.env, ...this.commonEnv, ...spec.env },
      // stdin stays an open pipe from this process; its end tells the child the supervisor is gone.
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.children.set(spec.name, child);
    log(`started ${spec.name} (pid ${child.pid})`);
    prefixLines(child.stdout, spec.name, process.stdout);
    prefixLines(child.stderr, spec.name, process.stderr);
    child.once('exit', (code, signal) => {
      this.children.delete(spec.name);
      if (this.stopping) return log(`${spec.name} stopped (${signal ?? `exit code ${code}`})`);
      log(`${spec.name} exited (${signal ?? code}); restarting`);
      const now = Date.now();
      const recent = (this.restarts.get(spec.name) ?? []).filter((at) => now - at < 60_000);
      this.restarts.set(spec.name, [...recent, now]);
      if (recent.length >= MAX_RESTARTS_PER_MINUTE) this.onGiveUp(spec.name);
      else
        this.pendingRestarts.set(
          spec.name,
          setTimeout(
            () => {
              this.pendingRestarts.delete(spec.name);
              this.start(spec);
            },
            1_000 * (recent.length + 1),
          ),
        );
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const [name, timer] of this.pendingRestarts) {
      clearTimeout(timer);
      log(`${name} stopped (was waiting to restart)`);
    }
    this.pendingRestarts.clear();
    await Promise.all(
      [...this.children.entries()].map(async ([name, child]) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          log(`${name} did not stop in ${STOP_GRACE_MS} ms; killing it`);
          child.kill('SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

export function log(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

function prefixLines(stream: NodeJS.ReadableStream | null, name: string, out: NodeJS.WritableStream): void {
  let buffered = '';
  stream?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}
