import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedMongoPrerequisiteError } from './errors.js';
import { withDirectoryLock } from './file-lock.js';
import {
  buildLockDir,
  javaSourceDir,
  launcherHashFile,
  launcherJar,
  packageDir,
  pomFile,
  targetDir,
} from './paths.js';

const run = promisify(execFile);

// One build per process; other processes are kept out by the lock directory.
let building: Promise<string> | undefined;

/**
 * Returns the path of the launcher jar, building it with Maven first when the pom or the
 * Java sources changed since the last build. Offline first (everything is normally in ~/.m2).
 */
export function ensureLauncherBuilt(): Promise<string> {
  building ??= buildIfChanged().catch((error: unknown) => {
    building = undefined;
    throw error;
  });
  return building;
}

async function buildIfChanged(): Promise<string> {
  const hash = await hashInputs();
  if (await isBuilt(hash)) return launcherJar;
  await mkdir(targetDir, { recursive: true });
  // Online Maven may download for minutes; a lock older than 10 minutes is abandoned.
  return withDirectoryLock(buildLockDir, { timeoutMs: 10 * 60_000, staleMs: 10 * 60_000 }, async () => {
    // Another process may have finished the same build while this one waited.
    if (await isBuilt(hash)) return launcherJar;
    // Nobody may trust a jar that is being rewritten.
    await rm(launcherHashFile, { force: true });
    await runMaven();
    await writeFile(launcherHashFile, hash);
    return launcherJar;
  });
}

async function isBuilt(hash: string): Promise<boolean> {
  try {
    await access(launcherJar);
    return (await readFile(launcherHashFile, 'utf8')).trim() === hash;
  } catch {
    return false;
  }
}

async function runMaven(): Promise<void> {
  const options = { cwd: packageDir, maxBuffer: 16 * 1024 * 1024 };
  try {
    await run('mvn', ['-q', '-o', '-B', 'package'], options);
  } catch (offlineError) {
    if ((offlineError as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new EmbeddedMongoPrerequisiteError(
        'embedded-mongo: Maven (mvn) is not installed; it is needed to build the launcher',
      );
    }
    try {
      await run('mvn', ['-q', '-B', 'package'], options);
    } catch (onlineError) {
      throw new Error(`embedded-mongo: building the launcher failed:\n${outputOf(onlineError)}`);
    }
  }
}

function outputOf(error: unknown): string {
  const {
    stdout = '',
    stderr = '',
    message = '',
  } = error as { stdout?: string; stderr?: string; message?: string };
  return `${stdout}${stderr}`.trim() || message;
}

async function hashInputs(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [pomFile, ...(await listFiles(javaSourceDir)).sort()]) {
    hash.update(relative(packageDir, file));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? listFiles(path) : Promise.resolve([path]);
    }),
  );
  return nested.flat();
}
