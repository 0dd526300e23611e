import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build -w @delivery/web` puts the app (WEB_DIST_DIR overrides it): services/web/dist,
 * beside the gateway's own folder. Found from the gateway's package.json up from this module,
 * which sits in src/http/ under tsx and in dist/chunks/ in the compiled build. Its own module,
 * importing no express: the config reads it before telemetry starts (see service-kit's boot).
 */
export const DEFAULT_WEB_DIST = join(packageDirOf(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

function packageDirOf(file: string): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${file}`);
    dir = parent;
  }
  return dir;
}
