import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  DAMAGED_STORE_EXIT_CODE,
  EmbeddedMongoDamagedStoreError,
  EmbeddedMongoPrerequisiteError,
} from './errors.js';

export interface LauncherArgs {
  jar: string;
  backend: 'memory' | 'h2';
  dataFile?: string;
  host: string;
  port: number;
  /** Receives the launcher's own messages (a damaged or repaired data file). */
  log: (line: string) => void;
}

export interface StartedLauncher {
  child: ChildProcessWithoutNullStreams;
  port: number;
}

const STDERR_LINES_KEPT = 40;
// The launcher prefixes what it says itself; the rest of stderr is the server's log.
const LAUNCHER_MESSAGE = /^embedded-mongo: /;

// Short-lived dev/test server: fast start matters more than peak JIT throughput.
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k', '-XX:-UsePerfData'];

export function spawnLauncher(args: LauncherArgs, readyTimeoutMs: number): Promise<StartedLauncher> {
  const argv = [...JVM_OPTIONS, '-jar', args.jar, '--backend', args.backend, '--host', args.host];
  argv.push('--port', String(args.port));
  if (args.dataFile) argv.push('--file', args.dataFile);

  // All three stdio streams are pipes (the default). stdin stays held by this process: when
  // this process dies, for whatever reason, the launcher reads EOF and exits. That is also why
  // it may run in its own process group (detached): a terminal's Ctrl-C then reaches only the
  // node process, which stops the store last, after everything that writes to it.
  const child = spawn(javaBinary(), argv, { detached: true });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (process.env.EMBEDDED_MONGO_DEBUG) process.stderr.write(`${line}\n`);
    else if (LAUNCHER_MESSAGE.test(line)) args.log(line);
    stderrTail.push(line);
    stderrTail.splice(0, Math.max(0, stderrTail.length - STDERR_LINES_KEPT));
  });
  // A closed read end would make the launcher exit with EPIPE; keep it quiet instead.
  child.stdin.on('error', () => {});

  return new Promise<StartedLauncher>((resolve, reject) => {
    const fail = (reason: string, type: new (message: string) => Error = Error) => {
      cleanup();
      child.kill('SIGKILL');
      const detail = stderrTail.length ? `\n${stderrTail.join('\n')}` : '';
      reject(new type(`embedded-mongo: ${reason}${detail}`));
    };
    const timer = setTimeout(() => fail(`not listening after ${readyTimeoutMs} ms`), readyTimeoutMs);
    const onError = (error: Error) =>
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? fail('java was not found (install a JRE 17+ or set JAVA_HOME)', EmbeddedMongoPrerequisiteError)
        : fail(`cannot start java: ${error.message}`);
    // 'close', not 'exit': by then stderr has been read to its end, and its last lines say why.
    const onClose = (code: number | null, signal: NodeJS.Signals | null) =>
      code === DAMAGED_STORE_EXIT_CODE
        ? fail(`the data file ${args.dataFile} is damaged beyond repair`, EmbeddedMongoDamagedStoreError)
        : fail(`launcher exited before listening (code ${code}, signal ${signal})`);
    const lines = createInterface({ input: child.stdout });
    const onLine = (line: string) => {
      const match = /^LISTENING (\S+):(\d+)$/.exec(line.trim());
      if (!match) return;
      cleanup();
      detachFromEventLoop(child);
      resolve({ child, port: Number(match[2]) });
    };
    function cleanup() {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('close', onClose);
      lines.off('line', onLine);
    }
    child.on('error', onError);
    child.on('close', onClose);
    lines.on('line', onLine);
  });
}

/**
 * A running server must not keep node alive on its own: a test run or script that forgot
 * stop() should still exit (and its exit closes stdin, which stops the launcher).
 * The streams keep being drained so a chatty launcher never blocks on a full pipe.
 */
function detachFromEventLoop(child: ChildProcessWithoutNullStreams): void {
  child.stdout.resume();
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }
}

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  return home ? join(home, 'bin', 'java') : 'java';
}
