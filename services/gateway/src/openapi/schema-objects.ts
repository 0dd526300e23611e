import type { JsonBody, MultipartBody, RouteContract } from '@delivery/contracts/routes';
import { z } from 'zod';
import { pathParameterNames } from './openapi-paths.js';

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
export function parametersOf(route: RouteContract): ParameterObject[] {
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

export function requestBodyOf(route: RouteContract): RequestBodyObject | undefined {
  if (!route.body) return undefined;
  return route.body.kind === 'json' ? jsonRequestBody(route.body) : multipartRequestBody(route.body);
}

const COMPONENTS = '#/components/schemas/';

/**
 * What an answer looks like, as a JSON Schema: the output side (after transforms), with what
 * JSON Schema cannot say left open. An object that is not strict says nothing of fields it does
 * not name: answers may grow fields, and a client must not refuse them (zod would write
 * `additionalProperties: false`, as its output drops unknown keys).
 */
export function outputJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema, ...json } = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def;
      if (def.type === 'object' && def.catchall === undefined) delete jsonSchema.additionalProperties;
    },
  });
  if ($schema !== JSON_SCHEMA_DIALECT)
    throw new Error(`zod wrote the JSON Schema dialect ${String($schema)}`);
  return json;
}

/**
 * The document's named schemas: each answer's schema once, under the name of the first answer
 * that has it (another route answering with the same schema refers to it too). Definitions zod
 * writes into `$defs` (a recursive or a registered schema) become components of their own, and
 * references to them, or to the schema itself (`#`), point there.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly names = new Map<z.ZodType, string>();

  constructor(fixed: Record<string, JsonSchema> = {}) {
    Object.assign(this.schemas, fixed);
  }

  /** A `$ref` to `schema`'s component, named `name` unless it has one already. */
  refTo(schema: z.ZodType, name: string): JsonSchema {
    const known = this.names.get(schema);
    if (known) return { $ref: `${COMPONENTS}${known}` };
    if (this.schemas[name]) throw new Error(`two schemas are named ${name}`);
    this.names.set(schema, name);
    const { $defs, ...json } = outputJsonSchema(schema);
    const defNames = new Map(
      Object.keys(($defs ?? {}) as Record<string, JsonSchema>).map((def) => [
        def,
        def.startsWith('__') ? `${name}_${def.replace(/^_+/, '')}` : def,
      ]),
    );
    const relink = (value: JsonSchema) => this.relinked(value, name, defNames);
    for (const [def, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      this.add(defNames.get(def) as string, relink(definition));
    }
    this.add(name, relink(json));
    return { $ref: `${COMPONENTS}${name}` };
  }

  /** A definition may be shared (a registered id): the same name must mean the same schema. */
  private add(name: string, schema: JsonSchema): void {
    const existing = this.schemas[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`two different schemas are named ${name}`);
    }
    this.schemas[name] = schema;
  }

  private relinked(schema: JsonSchema, self: string, defNames: Map<string, string>): JsonSchema {
    return JSON.parse(JSON.stringify(schema), (key, value: unknown) => {
      if (key !== '$ref' || typeof value !== 'string') return value;
      if (value === '#') return `${COMPONENTS}${self}`;
      const def = /^#\/\$defs\/(.+)$/.exec(value)?.[1];
      const renamed = def === undefined ? undefined : defNames.get(def);
      if (!renamed) throw new Error(`${self}: zod wrote a reference the document cannot follow: ${value}`);
      return `${COMPONENTS}${renamed}`;
    }) as JsonSchema;
  }
}
