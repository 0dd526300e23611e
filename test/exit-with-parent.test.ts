import { spawn } from 'node:child_process';
import { once } from 'node:events';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("a child whose supervisor was SIGKILLed still shuts down, though its log output's reader is gone", async () => {
  const parent = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/parent-of-logging-child.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  parent.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let childPid: number | undefined;
  for (const deadline = Date.now() + 30_000; !childPid && Date.now() < deadline; ) {
    childPid = Number(/child (\d+)/.exec(output)?.[1]) || undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(childPid).toEqual(expect.any(Number));
  const pid = childPid as number;
  // Let the child log for a while, then kill its parent without a word.
  await new Promise((resolve) => setTimeout(resolve, 500));
  parent.kill('SIGKILL');
  await once(parent, 'exit');
  try {
    const deadline = Date.now() + 20_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(pid)).toBe(false);
  } finally {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});
