import type { Requirements, StoredFile } from '../domain/project-state.js';

/**
 * What an upload may be, decided before a byte of it is stored: which name it is kept under, the
 * content type it is kept with and how large it may grow. Pure, so every rule is unit-tested.
 */

export type UploadKind = StoredFile['kind'];

export interface UploadRequest {
  kind: UploadKind;
  /** For an artifact the required artifact it provides (the `name` field, else the filename); for a test report the filename. */
  name: string;
  /** The content type the part declared; parameters such as `; charset=` do not count. */
  declaredContentType: string;
}

export interface UploadLimits {
  /** The most a test report may hold (`TEST_REPORT_MAX_BYTES`). */
  testReportMaxBytes: number;
}

export const TEST_REPORT_CONTENT_TYPES: readonly string[] = ['application/xml', 'text/xml'];

/** Names are stored on the project and echoed in lists and downloads: kept short. */
export const UPLOAD_NAME_MAX = 255;

export type UploadRefusal =
  | { reason: 'name_invalid'; message: string }
  | { reason: 'project_closed'; message: string; status: string }
  | { reason: 'quota_files'; message: string; maxFiles: number }
  | { reason: 'blueprint_missing'; message: string }
  | { reason: 'unknown_artifact'; message: string; allowedNames: string[] }
  | { reason: 'content_type_refused'; message: string; accepted: string[] };

export type UploadDecision =
  | { allowed: true; name: string; contentType: string; maxBytes: number }
  | { allowed: false; refusal: UploadRefusal };

/** `Application/XML; charset=utf-8` → `application/xml`: parameters and case do not change what a file is. */
export function essence(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Whether a content type is one of the patterns a blueprint gives: `type/subtype`, either part
 * with `*` as a wildcard (`text/*`, `application/*+json`), or `*` alone for anything. The same
 * reading as the job-runner's build check, so an upload accepted here passes its type check.
 */
export function contentTypeMatches(contentType: string, patterns: readonly string[]): boolean {
  const actual = essence(contentType);
  return patterns.some((pattern) => {
    const wanted = essence(pattern);
    if (wanted === '*' || wanted === '*/*') return true;
    const regex = wanted
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[^;]*');
    return new RegExp(`^${regex}$`).test(actual);
  });
}

export function decideUpload(
  request: UploadRequest,
  requirements: Requirements | null,
  limits: UploadLimits,
): UploadDecision {
  const name = request.name.trim();
  if (name === '' || name.length > UPLOAD_NAME_MAX) {
    return refuse({
      reason: 'name_invalid',
      message: `the ${request.kind === 'artifact' ? 'artifact name' : 'filename'} must have 1 to ${UPLOAD_NAME_MAX} characters`,
    });
  }
  const contentType = essence(request.declaredContentType);
  if (request.kind === 'test_report') {
    if (!contentTypeMatches(contentType, TEST_REPORT_CONTENT_TYPES)) {
      return refuseType(`a test report is JUnit XML`, contentType, TEST_REPORT_CONTENT_TYPES);
    }
    return { allowed: true, name, contentType, maxBytes: limits.testReportMaxBytes };
  }

  if (!requirements) {
    return refuse({
      reason: 'blueprint_missing',
      message: "the project's template has no blueprint yet, so no artifact is expected",
    });
  }
  const spec = requirements.artifacts.find((artifact) => artifact.name === name);
  if (!spec) {
    const allowedNames = requirements.artifacts.map((artifact) => artifact.name);
    return refuse({
      reason: 'unknown_artifact',
      message: `"${name}" is not an artifact this project expects; expected one of: ${allowedNames.join(', ') || '(none)'}`,
      allowedNames,
    });
  }
  const accepted = typeof spec.contentType === 'string' ? [spec.contentType] : spec.contentType;
  if (!contentTypeMatches(contentType, accepted)) {
    return refuseType(`artifact "${name}"`, contentType, accepted);
  }
  return { allowed: true, name, contentType, maxBytes: spec.maxSizeBytes };
}

const refuse = (refusal: UploadRefusal) => ({ allowed: false as const, refusal });

function refuseType(what: string, contentType: string, accepted: readonly string[]): UploadDecision {
  return refuse({
    reason: 'content_type_refused',
    message: `${what} must be of type ${accepted.join(' or ')}, not "${contentType || '(none)'}"`,
    accepted: [...accepted],
  });
}

/** What one project may hold (`PROJECT_MAX_FILES`, `PROJECT_MAX_BYTES`): uploads are not unbounded. */
export interface ProjectQuota {
  maxFiles: number;
  maxBytes: number;
}

export type UploadRoom =
  | { allowed: true; remainingBytes: number }
  | { allowed: false; refusal: UploadRefusal };

/**
 * Whether the project can take another file, and how many bytes it has left; decided before a
 * byte is stored. A closed project takes none: its stages no longer read files.
 */
export function uploadRoom(
  project: { status: string; files: readonly { size: number }[] },
  quota: ProjectQuota,
): UploadRoom {
  if (project.status !== 'active') {
    return refuse({
      reason: 'project_closed',
      message: `the project is ${project.status}: nothing can be uploaded to it`,
      status: project.status,
    });
  }
  if (project.files.length >= quota.maxFiles) {
    return refuse({
      reason: 'quota_files',
      message: `the project holds its quota of ${quota.maxFiles} files (PROJECT_MAX_FILES)`,
      maxFiles: quota.maxFiles,
    });
  }
  const used = project.files.reduce((sum, file) => sum + file.size, 0);
  return { allowed: true, remainingBytes: Math.max(0, quota.maxBytes - used) };
}

/** The file does not fit in the bytes the project has left: named, so the person knows which limit. */
export const projectBytesExceeded = (quota: ProjectQuota, remainingBytes: number) => ({
  message: `the project's upload quota is ${quota.maxBytes} bytes (PROJECT_MAX_BYTES) and ${remainingBytes} are left`,
  details: { maxBytes: quota.maxBytes, remainingBytes },
});
