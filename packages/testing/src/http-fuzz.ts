import { createHash } from 'node:crypto';
import { request as httpRequest, maxHeaderSize, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { FuzzRequest, type FuzzRoute, requestArbitrary } from './fuzz-requests.js';
import { defaultTestToken } from './identity.js';

export { type CatalogFuzzValues, checkBodyExamples, fuzzRouteOf, jsonSchemaOf } from './catalog-fuzz.js';
export { FuzzRequest, type FuzzRoute } from './fuzz-requests.js';
export type { JsonSchema } from './json-schema-arbitrary.js';
export { differencesInEnforcedRoles, type EnforcedRolesOptions } from './route-roles.js';

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
}

/**
 * Every `METHOD /path` an express 5 app serves, read from its router, so a fuzz test can prove it
 * covers them all and a new route cannot be forgotten. Routers must be mounted at the root.
 */
export function listRoutes(server: Server): string[] {
  const app = server.listeners('request')[0] as { router?: { stack: RouterLayer[] } } | undefined;
  if (!app?.router) throw new Error('the server does not serve an express 5 app');
  const routes: string[] = [];
  const pending = [...app.router.stack];
  for (let layer = pending.shift(); layer; layer = pending.shift()) {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((method) => layer.route?.methods[method]);
      for (const method of methods) routes.push(`${method.toUpperCase()} ${String(layer.route.path)}`);
    } else if (layer.handle?.stack) {
      if (!layer.slash) throw new Error('a router mounted under a path: list its routes by hand');
      pending.push(...layer.handle.stack);
    }
  }
  return routes;
}

export const routeKey = (route: FuzzRoute) => `${route.method.toUpperCase()} ${route.path}`;

export interface RawResponse {
  status: number;
  body: string;
}

/** Sends a request byte for byte (fetch would normalise paths and refuse odd headers). */
export function sendRaw(server: Server, request: FuzzRequest, timeoutMs = 20_000): Promise<RawResponse> {
  const { port } = server.address() as AddressInfo;
  const headers = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.path, headers });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      // Node answers 431 to an oversized header block and closes at once, often before the client
      // has read it: the connection resets while the body is still being written.
      if (headerBytes(request) > maxHeaderSize) resolve({ status: 431, body: '' });
      else reject(error);
    });
    req.end(request.body);
  });
}

// Request line and headers; what the client adds (host, content-length) stays under 200 bytes.
const headerBytes = ({ method, path, headers }: FuzzRequest) =>
  Object.entries(headers).reduce(
    (sum, [name, value]) => sum + name.length + value.length + 4,
    method.length + path.length + 200,
  );

/** Without a verified identity every request stops at 401: the route's own code needs a token to be reached. */
const withToken = (request: FuzzRequest, token: string) =>
  'authorization' in request.headers
    ? request
    : new FuzzRequest(
        request.method,
        request.path,
        { ...request.headers, authorization: `Bearer ${token}` },
        request.body,
      );

/**
 * The outbox relay publishes and removes a document's outbox entries on its own, moments after
 * the write that appended them (messaging's `outbox` and `outbox…` fields): that is not a change a
 * request made, and no refused request can append to an outbox without changing state too.
 */
const isRelayBookkeeping = (field: string) => field.startsWith('outbox');

/**
 * A hash of every document in a database, but for the relay's bookkeeping: equal before and
 * after means no request wrote anything.
 */
export async function databaseFingerprint(connection: Connection): Promise<string> {
  const database = connection.db;
  if (!database) throw new Error('the connection is not open');
  const hash = createHash('sha256');
  const collections = await database.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections.sort((a, b) => a.name.localeCompare(b.name))) {
    const documents = await database.collection(name).find().sort({ _id: 1 }).toArray();
    const state = documents.map((document) =>
      Object.fromEntries(Object.entries(document).filter(([field]) => !isRelayBookkeeping(field))),
    );
    hash.update(name).update(JSON.stringify(state));
  }
  return hash.digest('hex');
}

/** Waits until the fingerprint holds still: what a successful write set off in the background is done. */
async function settle(fingerprint: () => Promise<string>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await fingerprint();
  let stableSince = Date.now();
  while (Date.now() - stableSince < 500) {
    if (Date.now() > deadline) throw new Error(`stored state still changing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await fingerprint();
    if (next !== last) stableSince = Date.now();
    last = next;
  }
}

export interface FuzzOptions {
  server: Server;
  /** Fingerprint of everything the service stores (`databaseFingerprint`). */
  fingerprint: () => Promise<string>;
  numRuns: number;
  /**
   * The token of every request that does not bring an authorization header of its own (a few
   * bring a broken one). Default: the default test token, whose roles reach every route.
   */
  token?: string;
  /** Fixed so a run is repeatable; FUZZ_SEED (and FUZZ_RUNS) override it to explore further. */
  seed?: number;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sends generated requests to one route and fails on any 5xx, on a refused request (4xx) that
 * changed stored state, and on a read that changed it. fast-check's report names the seed and the
 * request, so a failure can be replayed with FUZZ_SEED.
 */
export async function fuzzRoute(
  route: FuzzRoute,
  { server, fingerprint, numRuns, token = defaultTestToken(), seed = 8 }: FuzzOptions,
) {
  const property = fc.asyncProperty(requestArbitrary(route), async (request) => {
    const before = await fingerprint();
    const response = await sendRaw(server, withToken(request, token));
    if (response.status >= 500) {
      throw new Error(`answered ${response.status}: ${response.body.slice(0, 300)}`);
    }
    const refused = response.status >= 400;
    if (refused || READS.has(request.method)) {
      if ((await fingerprint()) !== before) {
        throw new Error(
          `answered ${response.status} yet changed stored state: ${response.body.slice(0, 300)}`,
        );
      }
    } else {
      await settle(fingerprint);
    }
  });
  const base = Number(process.env.FUZZ_SEED ?? seed);
  // Each route its own sequence: with one seed for all, every route would get the same inputs.
  const routeSeed = createHash('sha256')
    .update(`${base} ${routeKey(route)}`)
    .digest()
    .readInt32LE();
  await settle(fingerprint);
  try {
    await fc.assert(property, {
      seed: routeSeed,
      numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
      endOnFailure: true,
    });
  } catch (error) {
    if (error instanceof Error) error.message = `${routeKey(route)}, FUZZ_SEED=${base}: ${error.message}`;
    throw error;
  }
}
