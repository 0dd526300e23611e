import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

// Debian installs the RabbitMQ tools in /usr/sbin, which a non-login or non-root PATH may lack.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/lib/rabbitmq/bin'];

/** Absolute path of an executable found on PATH (or the sbin directories), or undefined. */
export async function findExecutable(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}
