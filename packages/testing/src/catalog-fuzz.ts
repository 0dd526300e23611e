import { type RouteContract, routeKey } from '@delivery/contracts';
import { z } from 'zod';
import type { FuzzRoute } from './fuzz-requests.js';
import type { JsonSchema } from './json-schema-arbitrary.js';

/** A zod schema as the fuzzer's JSON Schema: what the route accepts as input. */
export const jsonSchemaOf = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

export interface CatalogFuzzValues {
  /** Values of path parameters that name real documents (ids the test seeded). */
  params: Record<string, readonly string[]>;
  /** Valid bodies to mutate, by route (`METHOD /path`). */
  bodyExamples: Record<string, readonly unknown[]>;
}

/**
 * A catalog route as the fuzzer sends it: its query keys and body schema from the catalog (the
 * schemas the route parses with), the values from the test.
 */
export function fuzzRouteOf(spec: RouteContract, values: CatalogFuzzValues): FuzzRoute {
  return {
    method: spec.method,
    path: spec.path,
    params: values.params,
    ...(spec.query && { query: Object.keys(spec.query.shape) }),
    ...(spec.body?.kind === 'json' && {
      body: { schema: jsonSchemaOf(spec.body.schema), examples: values.bodyExamples[routeKey(spec)] },
    }),
  };
}

/** Throws unless every example is a valid body of a catalog route with a JSON body. */
export function checkBodyExamples(
  catalog: readonly RouteContract[],
  examples: CatalogFuzzValues['bodyExamples'],
): void {
  for (const [key, bodies] of Object.entries(examples)) {
    const body = catalog.find((spec) => routeKey(spec) === key)?.body;
    if (body?.kind !== 'json') throw new Error(`${key} is no catalog route with a JSON body`);
    for (const example of bodies) body.schema.parse(example);
  }
}
