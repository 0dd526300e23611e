import fc from 'fast-check';
import { mutate, mutationArbitrary } from './json-mutations.js';
import { type JsonSchema, jsonSchemaArbitrary } from './json-schema-arbitrary.js';

/** A route as the service's router declares it (`/jobs/:id/cancel`), and what helps reach its code. */
export interface FuzzRoute {
  method: string;
  path: string;
  /** Values of path parameters that name real documents (ids seeded by the test). */
  params?: Record<string, readonly string[]>;
  /** Query parameters the route reads. */
  query?: readonly string[];
  /** The body: a JSON Schema (`z.toJSONSchema(schema, { io: 'input' })`) and valid examples to mutate. */
  body?: { schema?: JsonSchema; examples?: readonly unknown[] };
}

/** One raw request; printed compactly when fast-check reports it. */
export class FuzzRequest {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly headers: Record<string, string>,
    readonly body: string | undefined,
  ) {}

  [fc.toStringMethod](): string {
    const cut = (text: string, max: number) =>
      text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
    const headers = Object.entries(this.headers).map(([name, value]) => `${name}: ${cut(value, 60)}`);
    return `${this.method} ${cut(this.path, 200)} [${headers.join('; ')}] ${this.body === undefined ? '(no body)' : cut(this.body, 300)}`;
  }
}

const MALFORMED_SEGMENTS = [
  '%',
  '%%',
  '%E0%A4%A',
  '%zz',
  '%00',
  '%ED%A0%80',
  '%C0%AF',
  '%FF',
  '..',
  '.',
  '%2e%2e',
  '%2F',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
  "1'%20OR%20'1'='1",
  '%7B%22$gt%22:%22%22%7D',
  'null',
  '-1',
  '1e309',
];

// A lone surrogate cannot be percent-encoded: send the bytes a broken client would.
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

const printable = (maxLength: number) => fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{0,${maxLength}}$`));

function segmentArbitrary(known: readonly string[] | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: known?.length ? fc.constantFrom(...known) : fc.uuid() },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(encode) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_SEGMENTS) },
    { weight: 1, arbitrary: printable(60) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 3_000 }).map((n) => 'x'.repeat(n)) },
  );
}

/** The route's path with its parameters filled: with names of real documents, or anything. */
function pathArbitrary(route: FuzzRoute, plain: boolean): fc.Arbitrary<string> {
  const parameter = (known: readonly string[] | undefined) =>
    plain ? (known?.length ? fc.constantFrom(...known) : fc.uuid()) : segmentArbitrary(known);
  const segments = route.path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? parameter(route.params?.[segment.slice(1)]) : fc.constant(segment),
    );
  return fc.tuple(...segments).map((parts) => parts.join('/'));
}

const QUERY_VALUES = [
  '',
  '0',
  '-1',
  '1',
  '500',
  '501',
  '1e309',
  'NaN',
  'true',
  'false',
  '%',
  '%E0%A4%A',
  'rules',
];

function queryArbitrary(known: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known, 'limit', 'cursor') },
    { weight: 1, arbitrary: fc.constantFrom('a[b][c]', 'limit[]', '__proto__', 'constructor', '$where', '') },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map(encode) },
  );
  const value = fc.oneof(
    fc.constantFrom(...QUERY_VALUES),
    fc.integer().map(String),
    fc.string({ unit: 'binary', maxLength: 30 }).map(encode),
    fc.integer({ min: 1_000, max: 4_000 }).map((n) => 'v'.repeat(n)),
  );
  const pairs = fc
    .array(fc.tuple(key, value), { maxLength: 6 })
    .map((list) => list.map(([k, v]) => `${k}=${v}`));
  return fc.oneof(
    { weight: 8, arbitrary: pairs.map((list) => (list.length > 0 ? `?${list.join('&')}` : '')) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('?', '?&&', `?${'p&'.repeat(150)}`, '?a=1&a=2&a=3', '?limit=1&limit=2'),
    },
  );
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=',
  'application/json;;',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'garbage',
  '',
];

/** Present in about one request in `of`. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, of: number) =>
  fc.oneof({ weight: of - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const headersArbitrary: fc.Arbitrary<Record<string, string>> = fc
  .record({
    // Mostly JSON, as clients send; a missing content-type is one of the cases.
    'content-type': fc.oneof(
      { weight: 12, arbitrary: fc.constant('application/json') },
      { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    'content-encoding': sometimes(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'), 10),
    'x-correlation-id': sometimes(printable(200), 4),
    accept: sometimes(fc.constantFrom('*/*', 'text/html', 'application/xml', ''), 6),
    // Replaces the valid token fuzzRoute sends otherwise: refused (401), it must change nothing.
    authorization: sometimes(
      fc.constantFrom('', 'Bearer', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', `Bearer ${'x'.repeat(5_000)}`),
      8,
    ),
    // Within node's 16 KB header limit together with the rest, or just over it (431).
    'x-fuzz-padding': sometimes(
      fc.integer({ min: 1_000, max: 15_000 }).map((n) => 'p'.repeat(n)),
      10,
    ),
  })
  .map((headers) =>
    Object.fromEntries(
      Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  );

// Deeper than JSON.stringify can write: as raw text only.
const DEEP_BODIES = [
  `{"payload":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
  `${'['.repeat(300_000)}${']'.repeat(300_000)}`,
];

const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

function validBody(route: FuzzRoute): fc.Arbitrary<unknown> {
  const { schema, examples = [] } = route.body ?? {};
  const schemaValid = schema ? jsonSchemaArbitrary(schema) : fc.constant({});
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), schemaValid) : schemaValid;
}

function bodyArbitrary(route: FuzzRoute): fc.Arbitrary<string | undefined> {
  const valid = validBody(route);
  // A route without a body mostly gets none, so its own code (params, query) is reached.
  const takesBody = route.body !== undefined;
  return fc.oneof(
    { weight: takesBody ? 2 : 20, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: valid.map(json) },
    {
      weight: 5,
      arbitrary: fc.tuple(valid, fc.nat(), mutationArbitrary).map(([v, at, m]) => json(mutate(v, at, m))),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map(json) },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.nat()).map(([v, at]) => JSON.stringify(v).slice(0, at % 50)) },
    { weight: 1, arbitrary: fc.constantFrom(...DEEP_BODIES) },
  );
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

const PARTS = ['method', 'path', 'query', 'headers', 'body'] as const;

/**
 * Requests aimed at one route: some well-formed (to reach the route's own code and change state),
 * most broken in one part (method, path, query, headers or body), some broken everywhere.
 */
export function requestArbitrary(route: FuzzRoute): fc.Arbitrary<FuzzRequest> {
  const method = route.method.toUpperCase();
  const plain = {
    method: fc.constant(method),
    path: pathArbitrary(route, true),
    query: fc.constant(''),
    headers: fc.constant({ 'content-type': 'application/json' }),
    body: route.body ? validBody(route).map(json) : fc.constant(undefined),
  };
  const odd = {
    method: fc.constantFrom(...OTHER_METHODS.filter((other) => other !== method)),
    path: pathArbitrary(route, false),
    query: queryArbitrary(route.query ?? []),
    headers: headersArbitrary,
    body: bodyArbitrary(route),
  };
  const broken = fc.oneof(
    { weight: 2, arbitrary: fc.constant(new Set<string>()) },
    { weight: 8, arbitrary: fc.constantFrom(...PARTS).map((part) => new Set<string>([part])) },
    { weight: 2, arbitrary: fc.constant(new Set<string>(PARTS)) },
  );
  return fc.tuple(broken, fc.record(plain), fc.record(odd)).map(([which, normal, wrong]) => {
    const pick = <K extends (typeof PARTS)[number]>(part: K) =>
      which.has(part) ? wrong[part] : normal[part];
    return new FuzzRequest(pick('method'), `${pick('path')}${pick('query')}`, pick('headers'), pick('body'));
  });
}
