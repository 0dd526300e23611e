import { createTemplateSchema, templateContentSchema, updateTemplateSchema } from './template.js';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

const text = { key: 'company', label: 'Company', type: 'text' } as const;

describe('templateContentSchema', () => {
  it('fills defaults: fields and artifacts required, empty lists and stages', () => {
    const parsed = templateContentSchema.parse({
      fields: [text],
      artifacts: [{ name: 'app.zip', contentType: 'application/zip', maxSizeBytes: 10 }],
      stages: { '4_test': { tasks: [{ key: 'smoke', title: 'Smoke test' }] } },
    });
    expect(parsed.fields[0]?.required).toBe(true);
    expect(parsed.artifacts[0]?.required).toBe(true);
    expect(parsed.stages['4_test']).toEqual({ tasks: [{ key: 'smoke', title: 'Smoke test' }], checks: [] });
    expect(templateContentSchema.parse({})).toEqual({ fields: [], artifacts: [], stages: {} });
  });

  it('reports duplicate field keys and artifact names at the repeated entry', () => {
    const result = templateContentSchema.safeParse({
      fields: [text, { ...text, label: 'Again' }],
      artifacts: [
        { name: 'a.zip', contentType: 'application/zip', maxSizeBytes: 1 },
        { name: 'a.zip', contentType: 'application/zip', maxSizeBytes: 2 },
      ],
    });
    expect(paths(result)).toEqual(['fields.1.key', 'artifacts.1.name']);
  });

  it('requires options on a select field and refuses them elsewhere', () => {
    const result = templateContentSchema.safeParse({
      fields: [
        { key: 'plan', label: 'Plan', type: 'select' },
        { ...text, validation: { options: ['a'] } },
      ],
    });
    expect(paths(result)).toEqual(['fields.0.validation.options', 'fields.1.validation.options']);
  });

  it('checks bounds: min <= max, whole non-negative lengths, rules that fit the type', () => {
    const result = templateContentSchema.safeParse({
      fields: [
        { key: 'budget', label: 'Budget', type: 'number', validation: { min: 10, max: 5 } },
        { ...text, validation: { min: -1, max: 2.5 } },
        { key: 'ok', label: 'OK', type: 'boolean', validation: { pattern: '^y' } },
        { key: 'when', label: 'When', type: 'date', validation: { max: 3 } },
      ],
    });
    expect(paths(result)).toEqual([
      'fields.0.validation.min',
      'fields.1.validation.min',
      'fields.1.validation.max',
      'fields.2.validation.pattern',
      'fields.3.validation.max',
    ]);
  });

  it('rejects patterns that are not regular expressions and duplicate options', () => {
    const result = templateContentSchema.safeParse({
      fields: [
        { ...text, validation: { pattern: '([a-z' } },
        { key: 'plan', label: 'Plan', type: 'select', validation: { options: ['a', 'b', 'a'] } },
      ],
    });
    expect(paths(result)).toEqual(['fields.0.validation.pattern', 'fields.1.validation.options.2']);
  });

  it('accepts content type patterns and lists, rejects anything else', () => {
    const artifact = (contentType: unknown, name = 'x') => ({ name, contentType, maxSizeBytes: 1 });
    const ok = ['application/zip', 'application/*', 'application/*+json', '*', ['text/*', 'image/png']];
    for (const type of ok) {
      expect(templateContentSchema.safeParse({ artifacts: [artifact(type)] }).success).toBe(true);
    }
    const result = templateContentSchema.safeParse({ artifacts: [artifact('zip'), artifact([], 'y')] });
    expect(paths(result)).toEqual(['artifacts.0.contentType', 'artifacts.1.contentType']);
  });

  it('knows only the seven stages and keeps keys unique within a stage', () => {
    const result = templateContentSchema.safeParse({
      stages: {
        '9_party': { tasks: [] },
        '3_build': {
          checks: [
            { key: 'x', title: 'X' },
            { key: 'x', title: 'Y' },
          ],
        },
      },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => ({ path: i.path.join('.'), code: i.code }))).toEqual(
      expect.arrayContaining([
        { path: 'stages', code: 'unrecognized_keys' },
        { path: 'stages.3_build.checks.1.key', code: 'custom' },
      ]),
    );
  });

  it('bounds the size of a body', () => {
    const fields = Array.from({ length: 101 }, (_, i) => ({ ...text, key: `f${i}` }));
    expect(paths(templateContentSchema.safeParse({ fields }))).toEqual(['fields']);
    const long = { ...text, label: 'x'.repeat(201) };
    expect(paths(templateContentSchema.safeParse({ fields: [long] }))).toEqual(['fields.0.label']);
    expect(paths(templateContentSchema.safeParse({ fields: [{ ...text, key: 'Bad Key' }] }))).toEqual([
      'fields.0.key',
    ]);
  });
});

describe('createTemplateSchema and updateTemplateSchema', () => {
  it('trims the name and defaults the description', () => {
    expect(createTemplateSchema.parse({ name: '  Shop ', content: {} })).toEqual({
      name: 'Shop',
      description: '',
      content: { fields: [], artifacts: [], stages: {} },
    });
    expect(paths(createTemplateSchema.safeParse({ name: ' ', content: {} }))).toEqual(['name']);
  });

  it('takes any subset but not nothing', () => {
    expect(updateTemplateSchema.parse({ description: 'new' })).toEqual({ description: 'new' });
    expect(updateTemplateSchema.safeParse({}).success).toBe(false);
  });
});
