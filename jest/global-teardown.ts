// Stops what global-setup.ts started (containers, the embedded store); env URLs start nothing.
// With REQUIRE_RESPONSE_COVERAGE=1 (the full suite, `npm run test:jest`) it then fails the run
// if a route that answers JSON never had an answer checked against its response schema.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Stoppable = { stop(): Promise<void> };
type Routes = typeof import('@delivery/contracts/routes');
type RouteContract = import('@delivery/contracts/routes').RouteContract;

const STARTED = Symbol.for('delivery.jest.startedInfrastructure');

export default async function globalTeardown(_global: unknown, project: { rootDir: string }): Promise<void> {
  const holder = globalThis as { [STARTED]?: Stoppable[] };
  const started = holder[STARTED] ?? [];
  delete holder[STARTED];
  await Promise.allSettled(started.map((resource) => resource.stop()));

  const dir = process.env.CHECKED_RESPONSES_DIR;
  if (!dir) return;
  const checked = new Set(
    readdirSync(dir).flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)),
  );
  rmSync(dir, { recursive: true, force: true });
  if (process.env.REQUIRE_RESPONSE_COVERAGE !== '1') return;
  const unchecked = await jsonRoutesNotIn(checked, project.rootDir);
  if (unchecked.length > 0) {
    throw new Error(
      `no test received a JSON answer of these routes, so their response schemas were never checked:\n  ${unchecked.join('\n  ')}`,
    );
  }
}

async function jsonRoutesNotIn(checked: Set<string>, rootDir: string): Promise<string[]> {
  const { SERVICE_ROUTES, gatewayRoutes, isJsonResponse } = await loadRoutes(rootDir);
  const routes: RouteContract[] = [
    ...Object.values<Record<string, RouteContract>>(SERVICE_ROUTES).flatMap((routes) =>
      Object.values(routes),
    ),
    ...Object.values<RouteContract>(gatewayRoutes),
  ];
  const keys = routes
    .filter((route) =>
      Object.entries(route.responses).some(
        ([status, response]) => status.startsWith('2') && isJsonResponse(response),
      ),
    )
    .map((route) => `${route.method} ${route.path}`);
  return [...new Set(keys)].filter((key) => !checked.has(key)).sort();
}

/** As global-setup.ts loads the testing package: tsx, because jest loads this file as CommonJS. */
async function loadRoutes(rootDir: string): Promise<Routes> {
  const nativeImport = new Function('specifier', 'return import(specifier)') as (
    specifier: string,
  ) => Promise<typeof import('tsx/esm/api')>;
  const { tsImport } = await nativeImport('tsx/esm/api');
  const entry = join(rootDir, 'packages', 'contracts', 'src', 'routes', 'index.ts');
  return (await tsImport(
    pathToFileURL(entry).href,
    pathToFileURL(join(rootDir, 'jest', '/')).href,
  )) as Routes;
}
