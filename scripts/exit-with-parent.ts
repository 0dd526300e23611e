/**
 * Preloaded (`--import`) into every process `npm start` runs. They run in their own process
 * group so a terminal's Ctrl-C reaches only the supervisor, which then stops each exactly once;
 * the price is that nothing stops them when the supervisor itself dies without a word
 * (SIGKILL, crash). Their stdin is a pipe from the supervisor: its end means the supervisor is
 * gone, and the process shuts down gracefully, as on any other SIGTERM.
 */
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
// Watching must not keep a process alive that is otherwise done.
(process.stdin as unknown as { unref?: () => void }).unref?.();
