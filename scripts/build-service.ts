/**
 * A service's `npm run build`: bundles its entry points (`src/main.ts`, `src/worker.ts`) into
 * `dist/main.js` and `dist/worker.js`, which its container runs with plain `node` (no tsx).
 *
 *   tsx ../../scripts/build-service.ts src/main.ts [src/worker.ts] [name=path/to/entry.ts]
 *
 * (from the service's folder; `name=` names the output, dist/<name>.js, else the file's own name).
 *
 * - The workspace packages (`@delivery/*`, TypeScript sources) are bundled in.
 * - Third-party packages stay external: the image's `npm ci --omit=dev` provides them, and
 *   OpenTelemetry can only patch express, mongoose and http when they load as real modules.
 *   A package that a workspace package has its own copy of (e.g. service-kit's ipaddr.js@2 beside
 *   express's ipaddr.js@1 hoisted at the root) would resolve to the other copy from dist/, so that
 *   one is bundled in instead.
 * - Code splitting keeps every `await import()` lazy: `boot` starts telemetry before it imports
 *   express and the service's own modules, and a single-file bundle would hoist those imports to
 *   the top of the file, loading them before telemetry could patch them.
 */
import { rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, extname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const serviceDir = process.cwd();
const entries = process.argv.slice(2);
if (entries.length === 0) {
  console.error('usage: build-service.ts [name=]<entry.ts>... (run in the service folder)');
  process.exit(2);
}

/** `name=path` or `path` (named after its file) as [output name, source path]. */
function entryPoint(arg: string): [string, string] {
  const [name, path] = arg.includes('=') ? arg.split('=', 2) : [basename(arg, extname(arg)), arg];
  return [name as string, path as string];
}
const sources = entries.map((arg) => entryPoint(arg)[1]);

/** Marks the resolutions this plugin asks for itself, so it does not answer them again. */
const OWN_LOOKUP = Symbol('own lookup');

const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === OWN_LOOKUP) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      if (args.path.startsWith('@delivery/')) return undefined;
      const lookup = (resolveDir: string) =>
        bundler.resolve(args.path, { kind: args.kind, resolveDir, pluginData: OWN_LOOKUP });
      const [fromImporter, fromService] = await Promise.all([lookup(args.resolveDir), lookup(serviceDir)]);
      if (fromImporter.errors.length > 0) return { errors: fromImporter.errors };
      // What node will find from dist/ at run time is what the importer was written against.
      if (fromImporter.path === fromService.path) return { path: args.path, external: true };
      return undefined;
    });
  },
};

const outdir = join(serviceDir, 'dist');
await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: serviceDir,
  entryPoints: Object.fromEntries(entries.map(entryPoint)),
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // Stack traces name the source files (`node --enable-source-maps`); the sources stay out.
  sourcemap: 'linked',
  sourcesContent: false,
  // Class and function names show in logs and errors as they do in the sources.
  keepNames: true,
  // A bundled CommonJS package that calls require() gets a real one (ESM has none).
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
  },
  plugins: [thirdPartyExternal],
  metafile: true,
  logLevel: 'warning',
});

// The packages telemetry patches must not load with an entry's static imports (see boot.ts).
const INSTRUMENTED = ['express', 'mongoose'];
const outputs = result.metafile.outputs;
for (const entry of Object.keys(outputs).filter((file) =>
  sources.includes(outputs[file]?.entryPoint ?? ''),
)) {
  const early = staticImports(entry).filter((name) => INSTRUMENTED.includes(name));
  if (early.length > 0) {
    console.error(
      `${entry} loads ${early.join(', ')} before telemetry starts: import it inside boot's start`,
    );
    process.exit(1);
  }
}

/** Everything an output file imports before its code runs (its static imports, transitively). */
function staticImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  return (outputs[file]?.imports ?? [])
    .filter((edge) => edge.kind === 'import-statement')
    .flatMap((edge) => (edge.external ? [edge.path] : staticImports(edge.path, seen)));
}

const bytes = Object.values(outputs).reduce((sum, output) => sum + output.bytes, 0);
const files = Object.keys(outputs).filter((file) => !file.endsWith('.map'));
console.log(`dist: ${sources.join(', ')} → ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
