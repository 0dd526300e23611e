import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every service is built, imaged and versioned on its own: what two services share lives in
// packages/ (contracts above all), never in another service's files or package.
const root = fileURLToPath(new URL('../../', import.meta.url));
const servicesDir = join(root, 'services');
const services = readdirSync(servicesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const packageNames = new Map(
  services.map((service) => [
    (JSON.parse(readFileSync(join(servicesDir, service, 'package.json'), 'utf8')) as { name: string }).name,
    service,
  ]),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [path] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** `file` imports `specifier`, which is another service's: why, or undefined when it is not. */
function crossing(service: string, file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = relative(servicesDir, resolve(dirname(file), specifier));
    const owner = target.split(sep)[0];
    if (!target.startsWith('..') && owner && owner !== service) return `imports ${owner}'s ${target}`;
    return undefined;
  }
  const packageName = specifier.split('/').slice(0, 2).join('/');
  const owner = packageNames.get(packageName);
  return owner && owner !== service ? `imports the ${owner} service (${specifier})` : undefined;
}

describe('service boundaries', () => {
  it.each(services)("no file of %s imports another service's files or package", (service) => {
    const offences = sourceFiles(join(servicesDir, service)).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].flatMap(([, specifier]) => {
        const why = crossing(service, file, specifier as string);
        return why ? [`${relative(root, file)} ${why}`] : [];
      }),
    );
    expect(offences).toEqual([]);
  });

  it.each(services)('the %s package depends on no other service', (service) => {
    const manifest = JSON.parse(readFileSync(join(servicesDir, service, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    const dependencies = [
      'dependencies',
      'devDependencies',
      'peerDependencies',
      'optionalDependencies',
    ].flatMap((field) => Object.keys(manifest[field] ?? {}));
    expect(
      dependencies.filter((name) => packageNames.has(name) && packageNames.get(name) !== service),
    ).toEqual([]);
  });

  it('the check sees a crossing when there is one', () => {
    const file = join(servicesDir, 'gateway', 'src', 'x.ts');
    expect(crossing('gateway', file, '../../pipeline/src/http/schemas.js')).toMatch(/pipeline/);
    expect(crossing('gateway', file, '@delivery/hitl')).toMatch(/hitl/);
    expect(crossing('gateway', file, './own.js')).toBeUndefined();
    expect(crossing('gateway', file, '@delivery/contracts/routes')).toBeUndefined();
  });
});
