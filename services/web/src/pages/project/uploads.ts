import type { ArtifactSpec, StoredFile } from '../../api/answers';

/** What an upload form sends and what the page knows before sending it. */

/**
 * The artifact upload body. The pipeline reads the multipart stream in order and must know the
 * name before the file arrives, so `name` goes first; left out, the filename is the name.
 */
export function artifactFormData(name: string, file: Blob, filename: string): FormData {
  const form = new FormData();
  if (name.trim() !== '') form.append('name', name.trim());
  form.append('file', file, filename);
  return form;
}

export function testReportFormData(file: Blob, filename: string): FormData {
  const form = new FormData();
  form.append('file', file, filename);
  return form;
}

export const acceptedTypes = (spec: ArtifactSpec): string[] =>
  typeof spec.contentType === 'string' ? [spec.contentType] : spec.contentType;

export interface ChecklistItem {
  spec: ArtifactSpec;
  /** The newest upload under its name (the build checks that one). */
  uploaded: StoredFile | undefined;
}

/** Every artifact the blueprint asks for, and whether it has been uploaded. */
export function artifactChecklist(specs: ArtifactSpec[], files: StoredFile[]): ChecklistItem[] {
  return specs.map((spec) => ({
    spec,
    uploaded: files
      .filter((file) => file.kind === 'artifact' && file.name === spec.name)
      .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt))[0],
  }));
}

/** A problem the server would refuse for sure, said before the bytes travel. */
export function artifactProblem(
  specs: ArtifactSpec[] | null,
  name: string,
  file: { size: number; name: string; type: string } | undefined,
): string | undefined {
  if (!file) return 'Choose a file';
  if (specs === null) return undefined;
  const effective = name.trim() || file.name;
  const spec = specs.find((candidate) => candidate.name === effective);
  if (!spec) {
    return `The blueprint asks for no artifact named "${effective}"; expected one of: ${specs.map((s) => s.name).join(', ') || '(none)'}`;
  }
  // A browser that does not know the type sends none; the server then judges what arrives.
  if (file.type !== '' && !contentTypeMatches(file.type, acceptedTypes(spec))) {
    return `"${spec.name}" must be of type ${acceptedTypes(spec).join(' or ')}, not "${file.type}"`;
  }
  if (file.size > spec.maxSizeBytes) {
    return `The file has ${file.size} bytes; "${spec.name}" may have at most ${spec.maxSizeBytes}`;
  }
  return undefined;
}

/** `Application/XML; charset=utf-8` → `application/xml`. */
const essence = (contentType: string): string => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/** The pipeline's reading of a blueprint's type patterns (`text/*`, `application/*+json`, `*`). */
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
