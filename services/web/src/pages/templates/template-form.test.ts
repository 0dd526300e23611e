import { describe, expect, test } from 'vitest';
import type { TemplateContent } from '../../api/answers';
import {
  bytesText,
  contentOf,
  emptyArtifact,
  emptyField,
  emptyStageItem,
  formOf,
  templateBodyOf,
} from './template-form';

const content: TemplateContent = {
  fields: [
    { key: 'domain', label: 'Domain', type: 'url', required: true, validation: { pattern: '^https://' } },
    {
      key: 'plan',
      label: 'Plan',
      type: 'select',
      required: false,
      validation: { options: ['basic', 'pro'] },
    },
    { key: 'pages', label: 'Pages', type: 'number', required: true, validation: { min: 1, max: 50 } },
  ],
  artifacts: [
    { name: 'site.zip', contentType: 'application/zip', maxSizeBytes: 1_000_000, required: true },
    {
      name: 'logo',
      contentType: ['image/png', 'image/svg+xml'],
      maxSizeBytes: 200_000,
      required: false,
      description: 'square',
    },
  ],
  stages: { '3_build': { tasks: [{ key: 'deploy', title: 'Deploy it' }], checks: [] } },
};

describe('template content from the editor', () => {
  test('a version read into the form and saved unchanged is the same content', () => {
    const form = formOf({ name: 'Website', description: 'd', content });
    expect(contentOf(form)).toEqual(content);
    expect(templateBodyOf(form)).toEqual({ name: 'Website', description: 'd', content });
  });

  test('reads content with lists left out (the API defaults them) as empty lists', () => {
    const form = formOf({ name: 'N', description: '', content: {} as TemplateContent });
    expect(contentOf(form)).toEqual({ fields: [], artifacts: [], stages: {} });
  });

  test('a field keeps only the validation rules its type takes, and none when all are empty', () => {
    const form = formOf({ name: 'N', description: '', content: { fields: [], artifacts: [], stages: {} } });
    const field = {
      ...emptyField(),
      key: ' budget ',
      label: 'Budget',
      pattern: '^\\d+$',
      min: '10',
      max: '',
      options: 'a\nb',
    };
    form.fields = [
      { ...field, type: 'number' },
      { ...field, type: 'select', options: ' a \n\n b ' },
      { ...field, type: 'boolean' },
      { ...field, type: 'text', pattern: '', min: '', max: '' },
    ];
    expect(contentOf(form).fields).toEqual([
      { key: 'budget', label: 'Budget', type: 'number', required: true, validation: { min: 10 } },
      { key: 'budget', label: 'Budget', type: 'select', required: true, validation: { options: ['a', 'b'] } },
      { key: 'budget', label: 'Budget', type: 'boolean', required: true },
      { key: 'budget', label: 'Budget', type: 'text', required: true },
    ]);
  });

  test('an artifact takes one content type or a comma-separated list; an empty size is left for the API to name', () => {
    const form = formOf({ name: 'N', description: '', content: { fields: [], artifacts: [], stages: {} } });
    form.artifacts = [
      { ...emptyArtifact(), name: 'a', contentType: ' application/zip ', maxSizeBytes: '10' },
      { ...emptyArtifact(), name: 'b', contentType: 'image/png, image/*,', maxSizeBytes: '' },
      { ...emptyArtifact(), name: 'c', contentType: ' ', maxSizeBytes: '5', description: '  ' },
    ];
    const [one, several, none] = contentOf(form).artifacts;
    expect(one).toEqual({ name: 'a', contentType: 'application/zip', maxSizeBytes: 10, required: true });
    expect(several?.contentType).toEqual(['image/png', 'image/*']);
    expect(JSON.parse(JSON.stringify(several))).not.toHaveProperty('maxSizeBytes');
    expect(none).toEqual({ name: 'c', contentType: '', maxSizeBytes: 5, required: true });
  });

  test('per-stage tasks and checks: only stages with items are sent, each with both lists', () => {
    const form = formOf({ name: 'N', description: '', content: { fields: [], artifacts: [], stages: {} } });
    form.stages['4_test'].checks = [
      { ...emptyStageItem(), key: 'smoke', title: 'Smoke test', description: 'x' },
    ];
    expect(contentOf(form).stages).toEqual({
      '4_test': { tasks: [], checks: [{ key: 'smoke', title: 'Smoke test', description: 'x' }] },
    });
  });

  test('every row gets its own identity, so React keeps inputs apart', () => {
    const form = formOf({ name: 'Website', description: '', content });
    const uids = [...form.fields, ...form.artifacts].map((row) => row.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });
});

describe('sizes in bytes', () => {
  test.each([
    ['1000000', '1 MB'],
    ['1500', '1.5 kB'],
    ['999', '999 bytes'],
    ['', ''],
    ['abc', ''],
  ])('%s reads as %s', (bytes, text) => {
    expect(bytesText(bytes)).toBe(text);
  });
});
