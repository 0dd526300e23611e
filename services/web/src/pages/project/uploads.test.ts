import { describe, expect, test } from 'vitest';
import type { ArtifactSpec, StoredFile } from '../../api/answers';
import {
  artifactChecklist,
  artifactFormData,
  artifactProblem,
  contentTypeMatches,
  testReportFormData,
} from './uploads';

const site: ArtifactSpec = {
  name: 'site.zip',
  contentType: 'application/zip',
  maxSizeBytes: 1000,
  required: true,
};
const docs: ArtifactSpec = {
  name: 'docs',
  contentType: ['text/*', 'application/pdf'],
  maxSizeBytes: 50,
  required: false,
};

const stored = (name: string, uploadedAt: string, kind: StoredFile['kind'] = 'artifact'): StoredFile => ({
  id: `${name}@${uploadedAt}`,
  kind,
  name,
  contentType: 'application/zip',
  size: 10,
  sha256: 'ab',
  uploadedBy: { kind: 'user', id: 'u', name: 'U' },
  uploadedAt,
});

describe('uploads', () => {
  test('the artifact form sends its name before the file, which the pipeline needs first', () => {
    const form = artifactFormData(' site.zip ', new Blob(['PK']), 'build-42.zip');
    expect([...form.keys()]).toEqual(['name', 'file']);
    expect(form.get('name')).toBe('site.zip');
    expect((form.get('file') as File).name).toBe('build-42.zip');
  });

  test('without a name the filename names the artifact, so no name part is sent', () => {
    expect([...artifactFormData('  ', new Blob(['PK']), 'site.zip').keys()]).toEqual(['file']);
    expect([...testReportFormData(new Blob(['<x/>']), 'TEST-a.xml').keys()]).toEqual(['file']);
  });

  test('the checklist shows each required artifact with its newest upload', () => {
    const files = [
      stored('site.zip', '2026-11-26T10:00:00Z'),
      stored('site.zip', '2026-11-26T11:00:00Z'),
      stored('docs', '2026-11-26T12:00:00Z', 'test_report'),
    ];
    const [siteItem, docsItem] = artifactChecklist([site, docs], files);
    expect(siteItem?.uploaded?.uploadedAt).toBe('2026-11-26T11:00:00Z');
    expect(docsItem?.uploaded).toBeUndefined();
  });

  test('a sure refusal is said before the bytes travel', () => {
    const zip = { name: 'site.zip', size: 10, type: 'application/zip' };
    expect(artifactProblem([site], '', zip)).toBeUndefined();
    expect(artifactProblem([site], 'site.zip', undefined)).toBe('Choose a file');
    expect(artifactProblem([site], 'other', zip)).toBe(
      'The blueprint asks for no artifact named "other"; expected one of: site.zip',
    );
    expect(artifactProblem([site], '', { ...zip, size: 2000 })).toBe(
      'The file has 2000 bytes; "site.zip" may have at most 1000',
    );
    expect(artifactProblem([site], '', { ...zip, type: 'text/plain' })).toBe(
      '"site.zip" must be of type application/zip, not "text/plain"',
    );
    // A browser that knows no type leaves the judgement to the server.
    expect(artifactProblem([site], '', { ...zip, type: '' })).toBeUndefined();
    // Without a blueprint the server explains; nothing to say here.
    expect(artifactProblem(null, 'x', zip)).toBeUndefined();
  });

  test('content type patterns read as the pipeline reads them', () => {
    expect(contentTypeMatches('text/markdown; charset=utf-8', ['text/*'])).toBe(true);
    expect(contentTypeMatches('application/vnd.api+json', ['application/*+json'])).toBe(true);
    expect(contentTypeMatches('application/pdf', ['text/*'])).toBe(false);
    expect(contentTypeMatches('anything/at-all', ['*'])).toBe(true);
  });
});
