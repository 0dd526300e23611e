import type { JsonBody, MultipartBody, RouteSpec } from '@delivery/contracts';
import { z } from 'zod';
import { pathParameterNames } from './gateway-paths.js';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1), as zod writes it. */
export type JsonSchema = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export interface RequestBodyObject {
  required: boolean;
  content: Record<string, { schema: JsonSchema }>;
}

/**
 * The JSON Schema dialect zod writes, which OpenAPI 3.1's default dialect builds on: the schemas
 * are embedded without it (tools such as Swagger UI accept only the default `jsonSchemaDialect`).
 */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * What a request must look like to pass `schema`: the input side (before defaults and
 * transforms), with what JSON Schema cannot say (a transform's check, a refinement) left open.
 */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  if ($schema !== JSON_SCHEMA_DIALECT)
    throw new Error(`zod wrote the JSON Schema dialect ${String($schema)}`);
  // A `$ref` inside a schema embedded in the document would resolve against the document's root:
  // no schema has one today (no recursion, no registered ids); one that does must be hoisted first.
  if (JSON.stringify(json).includes('"$ref"')) {
    throw new Error('a request schema with $ref/$defs cannot be embedded as it is: hoist its definitions');
  }
  return json;
}

function objectParameters(location: 'path' | 'query', object: z.ZodObject): ParameterObject[] {
  const json = inputJsonSchema(object);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema,
  }));
}

/** Path parameters (from the route's schema, or plain strings where it reads them unparsed), then the query. */
export function parametersOf(route: RouteSpec): ParameterObject[] {
  const inPath = pathParameterNames(route.path);
  const parsed = route.params ? objectParameters('path', route.params) : [];
  const stray = parsed.filter((parameter) => !inPath.includes(parameter.name));
  if (stray.length > 0) {
    const names = stray.map((parameter) => parameter.name).join(', ');
    throw new Error(
      `${route.method} ${route.path}: its params schema names ${names}, which the path has not`,
    );
  }
  const path = inPath.map(
    (name): ParameterObject =>
      parsed.find((parameter) => parameter.name === name) ?? {
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      },
  );
  return [...path, ...(route.query ? objectParameters('query', route.query) : [])];
}

const jsonRequestBody = (body: JsonBody): RequestBodyObject => ({
  required: !body.optional,
  content: { 'application/json': { schema: inputJsonSchema(body.schema) } },
});

/** The text fields first: the route reads them before the file, which must come last. */
const multipartRequestBody = (body: MultipartBody): RequestBodyObject => ({
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: {
          ...Object.fromEntries(body.fields.map((field) => [field, { type: 'string' }])),
          [body.filePart]: {
            type: 'string',
            format: 'binary',
            contentMediaType: 'application/octet-stream',
          },
        },
        required: [body.filePart],
        additionalProperties: false,
      },
    },
  },
});

export function requestBodyOf(route: RouteSpec): RequestBodyObject | undefined {
  if (!route.body) return undefined;
  return route.body.kind === 'json' ? jsonRequestBody(route.body) : multipartRequestBody(route.body);
}
