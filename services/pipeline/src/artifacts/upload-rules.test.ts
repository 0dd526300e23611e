import type { Requirements } from '../domain/project-state.js';
import {
  contentTypeMatches,
  decideUpload,
  essence,
  UPLOAD_NAME_MAX,
  type UploadRequest,
} from './upload-rules.js';

const requirements: Requirements = {
  fields: [],
  blueprintRunId: 'run-1',
  artifacts: [
    {
      name: 'app.zip',
      contentType: ['application/zip', 'application/x-zip-compressed'],
      maxSizeBytes: 5_000,
      required: true,
    },
    { name: 'sbom.json', contentType: 'application/*+json', maxSizeBytes: 700, required: true },
    { name: 'notes.md', contentType: 'text/*', maxSizeBytes: 300, required: false },
  ],
};
const limits = { testReportMaxBytes: 20 * 1024 * 1024 };
const artifact = (name: string, declaredContentType: string): UploadRequest => ({
  kind: 'artifact',
  name,
  declaredContentType,
});
const report = (name: string, declaredContentType: string): UploadRequest => ({
  kind: 'test_report',
  name,
  declaredContentType,
});

describe('decideUpload for artifacts', () => {
  it("allows a required artifact of one of its types, limited to the spec's size", () => {
    expect(decideUpload(artifact('app.zip', 'application/x-zip-compressed'), requirements, limits)).toEqual({
      allowed: true,
      name: 'app.zip',
      contentType: 'application/x-zip-compressed',
      maxBytes: 5_000,
    });
  });

  it('matches the type ignoring parameters and case, and keeps only its essence', () => {
    expect(decideUpload(artifact('notes.md', 'Text/Markdown; charset=UTF-8'), requirements, limits)).toEqual({
      allowed: true,
      name: 'notes.md',
      contentType: 'text/markdown',
      maxBytes: 300,
    });
  });

  it('understands wildcard patterns such as application/*+json', () => {
    const decision = decideUpload(artifact('sbom.json', 'application/spdx+json'), requirements, limits);
    expect(decision).toMatchObject({ allowed: true, maxBytes: 700 });
    expect(decideUpload(artifact('sbom.json', 'application/json'), requirements, limits)).toMatchObject({
      allowed: false,
      refusal: { reason: 'content_type_refused', accepted: ['application/*+json'] },
    });
  });

  it('refuses another type, naming the accepted ones', () => {
    expect(decideUpload(artifact('app.zip', 'application/octet-stream'), requirements, limits)).toEqual({
      allowed: false,
      refusal: {
        reason: 'content_type_refused',
        accepted: ['application/zip', 'application/x-zip-compressed'],
        message:
          'artifact "app.zip" must be of type application/zip or application/x-zip-compressed, not "application/octet-stream"',
      },
    });
  });

  it('refuses a name the blueprint does not ask for, listing the names it does', () => {
    expect(decideUpload(artifact('App.zip', 'application/zip'), requirements, limits)).toEqual({
      allowed: false,
      refusal: {
        reason: 'unknown_artifact',
        allowedNames: ['app.zip', 'sbom.json', 'notes.md'],
        message: expect.stringContaining('"App.zip" is not an artifact this project expects'),
      },
    });
  });

  it('refuses any artifact while the project has no requirements (no blueprint yet)', () => {
    expect(decideUpload(artifact('app.zip', 'application/zip'), null, limits)).toMatchObject({
      allowed: false,
      refusal: { reason: 'blueprint_missing' },
    });
  });

  it('refuses an empty or overlong name before anything else', () => {
    expect(decideUpload(artifact('  ', 'application/zip'), null, limits)).toMatchObject({
      allowed: false,
      refusal: { reason: 'name_invalid' },
    });
    const long = 'a'.repeat(UPLOAD_NAME_MAX + 1);
    expect(decideUpload(report(long, 'application/xml'), null, limits)).toMatchObject({
      allowed: false,
      refusal: { reason: 'name_invalid' },
    });
  });
});

describe('decideUpload for test reports', () => {
  it('allows JUnit XML as application/xml or text/xml under the configured limit, without a blueprint', () => {
    expect(decideUpload(report('junit.xml', 'application/xml'), null, limits)).toEqual({
      allowed: true,
      name: 'junit.xml',
      contentType: 'application/xml',
      maxBytes: limits.testReportMaxBytes,
    });
    expect(
      decideUpload(report('junit.xml', 'text/xml; charset=utf-8'), requirements, { testReportMaxBytes: 10 }),
    ).toMatchObject({
      allowed: true,
      contentType: 'text/xml',
      maxBytes: 10,
    });
  });

  it('refuses anything else', () => {
    for (const type of ['application/json', 'text/plain', 'application/octet-stream', '']) {
      expect(decideUpload(report('junit.xml', type), requirements, limits)).toMatchObject({
        allowed: false,
        refusal: { reason: 'content_type_refused', accepted: ['application/xml', 'text/xml'] },
      });
    }
  });
});

describe('content type matching', () => {
  it('reduces a type to its essence', () => {
    expect(essence(' Application/ZIP ; name=x')).toBe('application/zip');
  });

  it('takes * and */* for anything, and * inside a part for any run of characters', () => {
    expect(contentTypeMatches('image/png', ['*'])).toBe(true);
    expect(contentTypeMatches('image/png', ['*/*'])).toBe(true);
    expect(contentTypeMatches('image/png', ['image/*'])).toBe(true);
    expect(contentTypeMatches('text/png', ['image/*'])).toBe(false);
    expect(contentTypeMatches('application/vnd.a+json', ['application/*+json'])).toBe(true);
  });

  it('treats regex characters in patterns literally', () => {
    expect(contentTypeMatches('application/xml', ['application/x.l'])).toBe(false);
    expect(contentTypeMatches('application/vnd+json', ['application/vnd+json'])).toBe(true);
  });
});
