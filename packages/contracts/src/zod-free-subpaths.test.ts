import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every subpath of the package but the root and `./routes` is for the web app, which must not
 * bundle zod: each such module, and everything it imports at run time, imports nothing outside
 * the contracts' own zod-free files. Type-only imports are erased, so they may point anywhere.
 */
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WITH_SCHEMAS = new Set(['.', './routes']);

const exportsOf = (): Record<string, string> =>
  (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { exports: Record<string, string> })
    .exports;

// `import x from`, `import { a, type b } from`, `import * as n from`, `export * from`, `export { a } from`,
// each possibly `import type` / `export type`; then imports for their side effects alone.
const FROM =
  /^(import|export)(\s+type)?\s*(\{[^}]*\}|\*(\s+as\s+\w+)?|\w+(\s*,\s*\{[^}]*\})?)\s*from\s*['"]([^'"]+)['"]/gm;
const BARE = /^import\s*['"]([^'"]+)['"]/gm;

/** The specifiers a module imports at run time (an `import { type A }` still loads its module). */
function runtimeImportsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  for (const match of code.matchAll(FROM)) {
    if (match[2] === undefined) specifiers.push(match[6] as string);
  }
  for (const match of code.matchAll(BARE)) specifiers.push(match[1] as string);
  if (/\bimport\s*\(/.test(code)) specifiers.push('<dynamic import>');
  return specifiers;
}

/** What `file` pulls in at run time that is not one of the contracts' files, with the chain that leads there. */
function foreignImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const found: string[] = [];
  for (const specifier of runtimeImportsOf(readFileSync(file, 'utf8'))) {
    if (!specifier.startsWith('.')) {
      found.push(`${file.slice(PACKAGE_DIR.length + 1)} imports ${specifier}`);
      continue;
    }
    found.push(...foreignImports(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen));
  }
  return found;
}

describe('the zod-free subpaths', () => {
  const subpaths = Object.entries(exportsOf()).filter(([subpath]) => !WITH_SCHEMAS.has(subpath));

  it('are the ones the web app imports', () => {
    expect(subpaths.map(([subpath]) => subpath)).toEqual(
      expect.arrayContaining(['./stages', './field-types', './live-events', './project-access']),
    );
  });

  it.each(subpaths)('%s (%s) imports nothing outside the contracts, zod least of all', (_subpath, file) => {
    expect(foreignImports(join(PACKAGE_DIR, file))).toEqual([]);
  });

  it('the check finds zod behind a relative import, and sees through type-only imports', () => {
    expect(foreignImports(join(PACKAGE_DIR, 'src/stages.ts'))).toEqual(['src/stages.ts imports zod']);
    expect(foreignImports(join(PACKAGE_DIR, 'src/live-events.ts'))).toContain(
      'src/blueprints.ts imports zod',
    );
    expect(
      runtimeImportsOf(
        [
          "import type { z } from 'zod';",
          "export type { A } from './a.js';",
          "import { type B, c } from './b.js';",
          "import * as d from './d.js';",
          "export * from './e.js';",
          "import './f.js';",
          "// import g from './g.js';",
        ].join('\n'),
      ),
    ).toEqual(['./b.js', './d.js', './e.js', './f.js']);
  });
});
