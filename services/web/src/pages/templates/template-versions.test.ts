import { describe, expect, test } from 'vitest';
import type { Template } from '../../api/answers';
import { shownVersion, versionParamOf, versionsOf } from './template-versions';

const template = (overrides: Partial<Template>): Template => ({
  id: 't',
  name: 'Website',
  description: '',
  status: 'draft',
  version: 1,
  createdAt: '2026-11-26T10:00:00Z',
  updatedAt: '2026-11-26T10:00:00Z',
  archivedAt: null,
  content: { fields: [], artifacts: [], stages: {} },
  publishedVersions: [],
  ...overrides,
});

describe('template versions', () => {
  test('lists every published version, then the draft', () => {
    expect(versionsOf(template({ status: 'draft', version: 3, publishedVersions: [2, 1] }))).toEqual([
      { version: 1, state: 'published' },
      { version: 2, state: 'published' },
      { version: 3, state: 'draft' },
    ]);
    expect(versionsOf(template({ status: 'published', version: 2, publishedVersions: [1, 2] }))).toEqual([
      { version: 1, state: 'published' },
      { version: 2, state: 'published' },
    ]);
  });

  test('only the current draft is editable; the current published version can start the next', () => {
    expect(
      shownVersion(template({ status: 'draft', version: 2, publishedVersions: [1] }), undefined),
    ).toEqual({
      kind: 'current',
      version: 2,
      editable: true,
      canStartNext: false,
    });
    expect(shownVersion(template({ status: 'published', version: 2, publishedVersions: [1, 2] }), 2)).toEqual(
      {
        kind: 'current',
        version: 2,
        editable: false,
        canStartNext: true,
      },
    );
    expect(
      shownVersion(template({ status: 'archived', version: 2, publishedVersions: [1] }), undefined),
    ).toEqual({
      kind: 'current',
      version: 2,
      editable: false,
      canStartNext: false,
    });
  });

  test('an older published version is read from its own route, read-only; an unknown one is missing', () => {
    const drafted = template({ status: 'draft', version: 3, publishedVersions: [1, 2] });
    expect(shownVersion(drafted, 1)).toEqual({ kind: 'published', version: 1 });
    expect(shownVersion(drafted, 7)).toEqual({ kind: 'missing', version: 7 });
  });

  test('the version comes from the URL, when it is one', () => {
    expect(versionParamOf(new URLSearchParams('version=2'))).toBe(2);
    expect(versionParamOf(new URLSearchParams('version=0'))).toBeUndefined();
    expect(versionParamOf(new URLSearchParams('version=x'))).toBeUndefined();
    expect(versionParamOf(new URLSearchParams(''))).toBeUndefined();
  });
});
