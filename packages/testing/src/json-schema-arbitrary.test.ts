import fc from 'fast-check';
import { z } from 'zod';
import { type JsonSchema, jsonSchemaArbitrary } from './json-schema-arbitrary.js';

// The fuzz tests' near-valid bodies start from these values: if they were mostly invalid, the
// fuzzer would never get past validation into the routes' own code.
const body = z.object({
  name: z.string().trim().min(1).max(20),
  count: z.number().int().min(1).max(3),
  ratio: z.number().min(0).max(1).optional(),
  tags: z.array(z.enum(['a', 'b'])).max(2),
  at: z.iso.datetime({ offset: true }),
  id: z.uuid(),
  key: z.string().regex(/^[a-z][a-z0-9_-]*$/),
  stages: z.partialRecord(z.enum(['3_build', '4_test']), z.object({ done: z.boolean() })),
  either: z.union([z.literal('x'), z.null()]),
  payload: z.record(z.string(), z.unknown()).default({}),
});

test('generates values the zod schema accepts', () => {
  const schema = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  let accepted = 0;
  fc.assert(
    fc.property(jsonSchemaArbitrary(schema), (value) => {
      if (body.safeParse(value).success) accepted += 1;
    }),
    { seed: 1, numRuns: 200 },
  );
  // `.trim().min(1)` is the one rule JSON Schema cannot say: a name of spaces fails it.
  expect(accepted).toBeGreaterThan(180);
});
