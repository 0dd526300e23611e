import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Container, containerOf, environmentOf, mountsOf } from './compose-file.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/**
 * The source of what `identity-keys` runs (the image's dist/identity-keys.js is its compiled
 * form): here it runs from source, as everything under test does.
 */
export const KEY_MAKER_SOURCE = 'packages/service-kit/src/identity/cli/keys.ts';

/** A folder here per named volume, as the engine would make them. */
export type Volumes = Map<string, string>;

/**
 * Runs the key maker into folders standing for its mounts (each volume a folder under `root`),
 * with the environment compose gives it: what the volumes hold after the first `up`.
 */
export async function makeIdentityVolumes(root: string): Promise<Volumes> {
  const maker = containerOf('identity-keys');
  // The key maker's file system: each of its mounts a folder at its path under `filesystem`.
  const filesystem = join(root, 'identity-keys');
  const inside = (path: unknown) => join(filesystem, String(path));
  const volumes: Volumes = new Map();
  for (const mount of mountsOf(maker)) {
    mkdirSync(inside(mount.target), { recursive: true });
    volumes.set(mount.source, inside(mount.target));
  }
  const env = environmentOf(maker);
  await run(process.execPath, ['--import', 'tsx', KEY_MAKER_SOURCE], {
    cwd: repo,
    env: {
      ...process.env,
      IDENTITY_KEYS_DIR: inside(env.IDENTITY_KEYS_DIR),
      IDENTITY_KEYS_HANDOUT_DIR: inside(env.IDENTITY_KEYS_HANDOUT_DIR),
    },
  });
  return volumes;
}

/**
 * Where a path of the container is here: under the mount that holds it (the deepest), a named
 * volume's folder or the repository's file of a bind mount; undefined outside every mount.
 */
export function hostPathOf(container: Container, path: string, volumes: Volumes): string | undefined {
  const holding = mountsOf(container)
    .filter((mount) => path === mount.target || path.startsWith(`${mount.target}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!holding) return undefined;
  const base = holding.source.startsWith('.') ? join(repo, holding.source) : volumes.get(holding.source);
  if (!base) return undefined;
  return join(base, posix.relative(holding.target, path));
}
