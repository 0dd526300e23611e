import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the web app into services/web/dist, where the gateway serves it from. In a child
 * process: Vite's bundler does not load inside jest's module sandbox.
 */
export async function buildWebApp(): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [`${repo}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'],
    {
      cwd: `${repo}services/web`,
    },
  );
}
