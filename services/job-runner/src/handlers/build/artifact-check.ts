import type { Digest } from '../shared/body-readers.js';
import type { RequiredArtifact, UploadedArtifact } from './build-payload.js';
import { contentTypeAllowed } from './content-type.js';

export type ArtifactStatus =
  | 'ok'
  | 'missing'
  | 'wrong_type'
  | 'too_large'
  | 'sha256_mismatch'
  | 'size_mismatch';

export interface ManifestEntry {
  name: string;
  status: ArtifactStatus;
  required: boolean;
  /** What the blueprint allows, plus the size and hash the upload declared. */
  expected: { contentType: string[]; maxSizeBytes: number; size?: number; sha256?: string };
  /** The upload's declared type, and size/hash as measured when downloaded; null when there is no upload. */
  actual: { contentType?: string; size?: number; sha256?: string; downloaded: boolean } | null;
  /** Why, in words, when status is not ok. */
  detail?: string;
}

export interface BuildManifest {
  ok: boolean;
  checkedAt: string;
  artifacts: ManifestEntry[];
}

export interface ArtifactCheck {
  requirement: RequiredArtifact;
  upload: UploadedArtifact | undefined;
}

const allowedTypes = (r: RequiredArtifact): string[] =>
  typeof r.contentType === 'string' ? [r.contentType] : r.contentType;

function expectedOf(check: ArtifactCheck): ManifestEntry['expected'] {
  const { requirement, upload } = check;
  return {
    contentType: allowedTypes(requirement),
    maxSizeBytes: requirement.maxSizeBytes,
    ...(upload ? { size: upload.size, sha256: upload.sha256 } : {}),
  };
}

/** Pairs each requirement with the first upload of the same name. Uploads nobody requires are ignored. */
export function pairRequirements(
  requirements: readonly RequiredArtifact[],
  uploads: readonly UploadedArtifact[],
): ArtifactCheck[] {
  return requirements.map((requirement) => ({
    requirement,
    upload: uploads.find((u) => u.name === requirement.name),
  }));
}

/**
 * Entry for a requirement with no upload of its name. An optional artifact nobody uploaded is
 * fine; it is still listed so the manifest covers the whole blueprint.
 */
export function absentEntry(requirement: RequiredArtifact): ManifestEntry {
  const base = { name: requirement.name, required: requirement.required, actual: null };
  const expected = expectedOf({ requirement, upload: undefined });
  return requirement.required
    ? { ...base, expected, status: 'missing', detail: 'not uploaded' }
    : { ...base, expected, status: 'ok' };
}

/**
 * The checks that need no download. Returns the final entry when the upload already fails on
 * what it declared (no point fetching a file of the wrong type or over the limit); undefined
 * means "download and verify".
 */
export function checkDeclared(
  check: ArtifactCheck & { upload: UploadedArtifact },
): ManifestEntry | undefined {
  const { requirement, upload } = check;
  const base = { name: requirement.name, required: requirement.required, expected: expectedOf(check) };
  const actual = { contentType: upload.contentType, size: upload.size, downloaded: false };
  if (!contentTypeAllowed(upload.contentType, base.expected.contentType)) {
    return {
      ...base,
      status: 'wrong_type',
      actual,
      detail: `${upload.contentType} is not one of ${base.expected.contentType.join(', ')}`,
    };
  }
  if (upload.size > requirement.maxSizeBytes) {
    return {
      ...base,
      status: 'too_large',
      actual,
      detail: `declared size ${upload.size} exceeds ${requirement.maxSizeBytes} bytes`,
    };
  }
  return undefined;
}

/** Entry for an upload whose URL answered 404/410: it is listed but its bytes are gone. */
export function missingDownload(check: ArtifactCheck, httpStatus: number): ManifestEntry {
  return {
    name: check.requirement.name,
    required: check.requirement.required,
    status: 'missing',
    expected: expectedOf(check),
    actual: null,
    detail: `download answered HTTP ${httpStatus}`,
  };
}

/** Compares downloaded bytes with what was declared. Size first: a size mismatch explains the hash too. */
export function checkDownloaded(
  check: ArtifactCheck & { upload: UploadedArtifact },
  digest: Digest,
): ManifestEntry {
  const { requirement, upload } = check;
  const base = { name: requirement.name, required: requirement.required, expected: expectedOf(check) };
  if (digest.exceeded) {
    return {
      ...base,
      status: 'too_large',
      actual: { contentType: upload.contentType, size: digest.size, downloaded: true },
      detail: `download exceeded ${requirement.maxSizeBytes} bytes (stopped reading)`,
    };
  }
  const actual = {
    contentType: upload.contentType,
    size: digest.size,
    sha256: digest.sha256,
    downloaded: true,
  };
  if (digest.size !== upload.size) {
    return {
      ...base,
      status: 'size_mismatch',
      actual,
      detail: `declared ${upload.size} bytes, got ${digest.size}`,
    };
  }
  if (digest.sha256 !== upload.sha256) {
    return {
      ...base,
      status: 'sha256_mismatch',
      actual,
      detail: 'content does not match the declared sha256',
    };
  }
  return { ...base, status: 'ok', actual };
}

export function buildManifest(entries: ManifestEntry[], checkedAt: Date): BuildManifest {
  return {
    ok: entries.every((e) => e.status === 'ok'),
    checkedAt: checkedAt.toISOString(),
    artifacts: entries,
  };
}

/** e.g. "2 of 3 artifacts failed checks: app.zip (sha256_mismatch), sbom.json (missing)". */
export function failureReason(manifest: BuildManifest): string {
  const failing = manifest.artifacts.filter((e) => e.status !== 'ok');
  const list = failing.map((e) => `${e.name} (${e.status})`).join(', ');
  return `${failing.length} of ${manifest.artifacts.length} artifacts failed checks: ${list}`;
}
