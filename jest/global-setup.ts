// Resolves MongoDB and RabbitMQ once per jest run and hands them to the workers through
// process.env (workers are started after this and inherit it). An embedded MongoDB started
// here dies with this process even if the run is aborted: it exits when its stdin closes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Testing = typeof import('@delivery/testing');
type Stoppable = { stop(): Promise<void> };

// Read by global-teardown.ts, which runs in this process but as a separate module.
const STARTED = Symbol.for('delivery.jest.startedInfrastructure');

export default async function globalSetup(_global: unknown, project: { rootDir: string }): Promise<void> {
  const { resolveAmqp, resolveMongo } = await loadTesting(project.rootDir);
  const [mongo, amqp] = await Promise.allSettled([resolveMongo({ purpose: 'test' }), resolveAmqp()]);
  const started = [mongo, amqp].flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  (globalThis as { [STARTED]?: Stoppable[] })[STARTED] = started;
  if (mongo.status === 'rejected' || amqp.status === 'rejected') {
    await Promise.allSettled(started.map((resource) => resource.stop()));
    throw mongo.status === 'rejected' ? mongo.reason : (amqp as PromiseRejectedResult).reason;
  }
  process.env.MONGO_URL = mongo.value.url;
  process.env.AMQP_URL = amqp.value.url;
  // Every service the tests start checks each JSON answer against its route's response schema
  // (service-kit's serveRoute): an answer off its contract fails the test that received it.
  process.env.CHECK_RESPONSES = '1';
  process.env.CHECKED_RESPONSES_DIR = mkdtempSync(join(tmpdir(), 'checked-responses-'));
}

/**
 * jest loads global setup as CommonJS, without moduleNameMapper: `.js` specifiers of the
 * workspace sources and `import.meta` would not work. tsx loads them as the ES modules they are.
 * The ESM build of the tsx API is needed (its CommonJS build registers its loader from a wrong
 * path in tsx 4.23), and swc would turn a plain `import()` here into `require()`.
 */
async function loadTesting(rootDir: string): Promise<Testing> {
  const nativeImport = new Function('specifier', 'return import(specifier)') as (
    specifier: string,
  ) => Promise<typeof import('tsx/esm/api')>;
  const { tsImport } = await nativeImport('tsx/esm/api');
  const entry = join(rootDir, 'packages', 'testing', 'src', 'index.ts');
  return (await tsImport(
    pathToFileURL(entry).href,
    pathToFileURL(join(rootDir, 'jest', '/')).href,
  )) as Testing;
}
