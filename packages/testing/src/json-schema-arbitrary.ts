import fc from 'fast-check';

/** The part of JSON Schema that `z.toJSONSchema(schema, { io: 'input' })` emits for request bodies. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

// Enough to reach every branch of a schema without building bodies the limits refuse anyway.
const MAX_ITEMS = 4;
const MAX_TEXT = 40;

const formats: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid(),
  // Years 2000-2100: far enough from now that a generated `runAt` is never due during a test run.
  'date-time': fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString()),
  email: fc.emailAddress(),
  uri: fc.webUrl(),
  url: fc.webUrl(),
};

/**
 * Values that (mostly) satisfy a JSON Schema: what a well-behaved client sends. Refinements the
 * schema cannot express (zod's `.refine`) may still fail; that is fine for a fuzzer.
 */
export function jsonSchemaArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map(jsonSchemaArbitrary));
  if (schema.allOf?.[0]) return jsonSchemaArbitrary(schema.allOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({ min: lowerBound(schema, 1), max: upperBound(schema, 1) });
    case 'number':
      return fc.double({ min: lowerBound(schema, 0), max: upperBound(schema, 0), noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(jsonSchemaArbitrary(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS)),
      });
    case 'object':
      return objectArbitrary(schema);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const known = schema.format ? formats[schema.format] : undefined;
  if (known) return known;
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? MAX_TEXT, MAX_TEXT));
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern), { size: 'xsmall' })
      .filter(
        (text) => text.length >= minLength && text.length <= (schema.maxLength ?? Number.MAX_SAFE_INTEGER),
      );
  }
  return fc.string({ minLength, maxLength });
}

function objectArbitrary(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const known = fc.record(
    Object.fromEntries(properties.map(([key, property]) => [key, jsonSchemaArbitrary(property)])),
    { requiredKeys: schema.required ?? [] },
  );
  const extra = schema.additionalProperties;
  if (typeof extra !== 'object' || properties.length > 0) return known;
  // A record (`z.record`/`z.partialRecord`): keys from `propertyNames`, values from `additionalProperties`.
  const keys = schema.propertyNames
    ? jsonSchemaArbitrary({ type: 'string', ...schema.propertyNames })
    : fc.string();
  return fc.dictionary(keys as fc.Arbitrary<string>, jsonSchemaArbitrary(extra), { maxKeys: MAX_ITEMS });
}

const lowerBound = (schema: JsonSchema, step: number) =>
  schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1e6 : schema.exclusiveMinimum + step);
const upperBound = (schema: JsonSchema, step: number) =>
  schema.maximum ?? (schema.exclusiveMaximum === undefined ? 1e6 : schema.exclusiveMaximum - step);
