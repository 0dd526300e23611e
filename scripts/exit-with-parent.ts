import { closeSync, openSync } from 'node:fs';

/**
 * Preloaded (`--import`) into every process `npm start` runs. They run in their own process
 * group so a terminal's Ctrl-C reaches only the supervisor, which then stops each exactly once;
 * the price is that nothing stops them when the supervisor itself dies without a word
 * (SIGKILL, crash). Their stdin is a pipe from the supervisor: its end means the supervisor is
 * gone, and the process shuts down gracefully, as on any other SIGTERM.
 */
function parentGone(): void {
  discardOutput();
  process.kill(process.pid, 'SIGTERM');
}

/**
 * The supervisor read our stdout and stderr; with it gone every write there fails with EPIPE,
 * and pino's synchronous flush (sonic-boom) retries a failed write forever, so the shutdown's
 * last log line would keep the process alive for good. Closing a descriptor and opening
 * /dev/null at once reuses the lowest free descriptor, i.e. the one just closed.
 */
function discardOutput(): void {
  for (const fd of [1, 2]) {
    try {
      closeSync(fd);
      openSync('/dev/null', 'w');
    } catch {
      // Nothing more to do: the process is shutting down anyway.
    }
  }
}

process.stdin.on('end', parentGone);
process.stdin.on('error', parentGone);
process.stdin.resume();
// Watching must not keep a process alive that is otherwise done.
(process.stdin as unknown as { unref?: () => void }).unref?.();
