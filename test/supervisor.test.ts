import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from '../scripts/supervisor.js';

// npm start's supervisor with real child processes: a crashed one is started again after a
// back-off, and a stop that comes during that back-off says so instead of leaving it unreported.

const dir = mkdtempSync(join(tmpdir(), 'supervisor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A process that counts its starts in a file and exits 3 on each of its first `crashesBeforeStaying`. */
function entry(name: string, crashesBeforeStaying: number): { path: string; starts: () => number } {
  const starts = join(dir, `${name}.starts`);
  writeFileSync(starts, '');
  const path = join(dir, `${name}.mjs`);
  writeFileSync(
    path,
    `import { appendFileSync, readFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(starts)}, 'start\\n');
const count = readFileSync(${JSON.stringify(starts)}, 'utf8').split('\\n').filter(Boolean).length;
if (count <= ${crashesBeforeStaying}) process.exit(3);
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1_000);
`,
  );
  return { path, starts: () => readFileSync(starts, 'utf8').split('\n').filter(Boolean).length };
}

let said = '';
const write = process.stdout.write;
beforeEach(() => {
  said = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    said += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
});
afterEach(() => {
  process.stdout.write = write;
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; the supervisor said:\n${said}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a crashed process is started again, and stopped once with its exit code', async () => {
  const crasher = entry('crasher', 1);
  const supervisor = new Supervisor({}, () => {});
  supervisor.start({ name: 'crasher', service: 'test', entry: crasher.path, env: {} });

  await until(() => crasher.starts() === 2);
  expect(said).toContain('[start] crasher exited (3); restarting');
  await until(() => (said.match(/started crasher/g) ?? []).length === 2);
  await supervisor.stop();
  expect(said).toContain('[start] crasher stopped (exit code 0)');
});

test('a stop during the back-off cancels the restart and reports the process stopped', async () => {
  const crasher = entry('always', 100);
  const supervisor = new Supervisor({}, () => {});
  supervisor.start({ name: 'always', service: 'test', entry: crasher.path, env: {} });

  await until(() => said.includes('always exited (3); restarting'));
  await supervisor.stop();
  expect(said).toContain('[start] always stopped (was waiting to restart)');
  // The back-off (1 s) passes: nothing is started again.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(crasher.starts()).toBe(1);
});
