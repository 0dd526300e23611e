import {
  absentEntry,
  buildManifest,
  checkDeclared,
  checkDownloaded,
  failureReason,
  pairRequirements,
} from './artifact-check.js';
import type { RequiredArtifact, UploadedArtifact } from './build-payload.js';

const req = (over: Partial<RequiredArtifact> = {}): RequiredArtifact => ({
  name: 'app.zip',
  contentType: ['application/zip'],
  maxSizeBytes: 1000,
  required: true,
  ...over,
});
const upload = (over: Partial<UploadedArtifact> = {}): UploadedArtifact => ({
  name: 'app.zip',
  contentType: 'application/zip',
  size: 10,
  sha256: 'a'.repeat(64),
  url: 'http://x/app.zip',
  ...over,
});

describe('artifact checks', () => {
  it('pairs requirements with uploads by name, ignoring extra uploads', () => {
    const pairs = pairRequirements(
      [req(), req({ name: 'sbom.json' })],
      [upload({ name: 'extra' }), upload()],
    );
    expect(pairs.map((p) => [p.requirement.name, p.upload?.name])).toEqual([
      ['app.zip', 'app.zip'],
      ['sbom.json', undefined],
    ]);
  });

  it('reports absent required artifacts as missing and absent optional ones as fine', () => {
    expect(absentEntry(req())).toMatchObject({ status: 'missing', actual: null });
    expect(absentEntry(req({ required: false }))).toMatchObject({ status: 'ok', actual: null });
  });

  it('fails on declared type or size before any download', () => {
    expect(
      checkDeclared({ requirement: req(), upload: upload({ contentType: 'text/plain' }) }),
    ).toMatchObject({
      status: 'wrong_type',
      detail: 'text/plain is not one of application/zip',
    });
    expect(checkDeclared({ requirement: req(), upload: upload({ size: 1001 }) })).toMatchObject({
      status: 'too_large',
    });
    expect(
      checkDeclared({ requirement: req({ contentType: 'application/*' }), upload: upload() }),
    ).toBeUndefined();
  });

  it('compares the download with the declaration: size first, then hash', () => {
    const check = { requirement: req(), upload: upload() };
    expect(checkDownloaded(check, { sha256: 'b'.repeat(64), size: 11, exceeded: false }).status).toBe(
      'size_mismatch',
    );
    expect(checkDownloaded(check, { sha256: 'b'.repeat(64), size: 10, exceeded: false })).toMatchObject({
      status: 'sha256_mismatch',
      expected: { sha256: 'a'.repeat(64), size: 10 },
      actual: { sha256: 'b'.repeat(64), size: 10, downloaded: true },
    });
    expect(checkDownloaded(check, { sha256: '', size: 1001, exceeded: true }).status).toBe('too_large');
    expect(checkDownloaded(check, { sha256: 'a'.repeat(64), size: 10, exceeded: false }).status).toBe('ok');
  });

  it('names each failing artifact in the reason', () => {
    const manifest = buildManifest(
      [absentEntry(req({ name: 'sbom.json' })), absentEntry(req({ name: 'opt', required: false }))],
      new Date('2025-01-01T00:00:00Z'),
    );
    expect(manifest).toMatchObject({ ok: false, checkedAt: '2025-01-01T00:00:00.000Z' });
    expect(failureReason(manifest)).toBe('1 of 2 artifacts failed checks: sbom.json (missing)');
  });
});
