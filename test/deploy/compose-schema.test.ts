import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { type ComposeFile, compose } from './compose-file.js';

// docker-compose.yml against the Compose Specification's JSON schema (compose-spec/compose-spec,
// schema/compose-spec.json), the copy the `dclint` package ships and validates with: what
// `docker compose config` refuses before it runs anything (an unknown key, a wrong type, a
// misspelt condition).

const require = createRequire(import.meta.url);
const schemaFile = join(dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json');
// Its `$schema` names draft-07 by an address Ajv does not know it by; draft-07 is Ajv's own.
const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<
  string,
  unknown
>;

// Not strict: the schema uses union types and keywords (`deprecated`) that strict mode refuses.
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const validate = ajv.compile(schema);

const problemsOf = (document: unknown) =>
  validate(document)
    ? []
    : (validate.errors ?? []).map(
        (error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`,
      );

test('docker-compose.yml follows the Compose Specification', () => {
  expect(problemsOf(compose)).toEqual([]);
});

test('the schema refuses what compose would (so the test above can fail)', () => {
  const broken = structuredClone(compose) as ComposeFile & {
    services: Record<string, Record<string, unknown>>;
  };
  const gateway = broken.services.gateway as Record<string, unknown>;
  gateway.volumes = 'identity-gateway:/identity/own:ro';
  gateway.depends_on = { mongo: { condition: 'service_ready' } };
  gateway.helthcheck = {};
  expect(problemsOf(broken)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\/services\/gateway must NOT have additional properties .*helthcheck/),
      expect.stringMatching(/^\/services\/gateway\/volumes must be array/),
      expect.stringMatching(/^\/services\/gateway\/depends_on\/mongo\/condition must be equal to one of/),
    ]),
  );
});
