import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  /** Give up waiting after this long. */
  timeoutMs: number;
  /** A lock older than this is taken over even if its owner looks alive (pid reuse, hung owner). */
  staleMs: number;
  pollMs?: number;
}

// mkdir is atomic across processes on a local file system, which is all this needs:
// several jest workers or processes asking for the same build at the same time.
export async function withDirectoryLock<T>(lockDir: string, options: LockOptions, fn: () => Promise<T>) {
  await acquire(lockDir, options);
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function acquire(lockDir: string, { timeoutMs, staleMs, pollMs = 200 }: LockOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'owner'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(lockDir, staleMs)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for lock ${lockDir}`);
    }
    await sleep(pollMs);
  }
}

async function isStale(lockDir: string, staleMs: number): Promise<boolean> {
  try {
    const info = await stat(lockDir);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    const owner = Number(await readFile(join(lockDir, 'owner'), 'utf8'));
    return Number.isInteger(owner) && owner > 0 && !isAlive(owner);
  } catch {
    // The owner file is written just after mkdir; missing means "being created" or "just released".
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
