import type { FactChange, Refused } from './fact-changes.js';
import type { ProjectState, StoredFile } from './project-state.js';

/**
 * Replacing and withdrawing uploaded files, as pure fact changes. A replacement takes the old
 * file's place in the list (a stage reads the files current at its start, so the next generation
 * gets the new one); a withdrawn file leaves it. Who may do either is project-access's rule.
 */

/** What the timeline keeps of a file in its audit of a replacement or withdrawal. */
export interface FileRecord {
  id: string;
  kind: StoredFile['kind'];
  name: string;
  size: number;
  sha256: string;
  uploadedBy: StoredFile['uploadedBy'];
}

export const fileRecord = ({ id, kind, name, size, sha256, uploadedBy }: StoredFile): FileRecord => ({
  id,
  kind,
  name,
  size,
  sha256,
  uploadedBy,
});

function refusedOn(project: ProjectState, fileId: string): Refused | StoredFile {
  if (project.status !== 'active') {
    return {
      refused: 'conflict',
      message: `the project is ${project.status}: its files can no longer change`,
      details: { status: project.status },
    };
  }
  const file = project.files.find((candidate) => candidate.id === fileId);
  if (file) return file;
  // The route found the file before it began: someone else replaced or withdrew it meanwhile.
  return {
    refused: 'conflict',
    message: `the file ${fileId} was replaced or withdrawn meanwhile`,
    details: { code: 'file_gone', fileId },
  };
}

const isRefusal = (value: Refused | StoredFile): value is Refused => 'refused' in value;

export function replaceFile(
  project: ProjectState,
  fileId: string,
  replacement: StoredFile,
  quota: { maxBytes: number },
): FactChange {
  const old = refusedOn(project, fileId);
  if (isRefusal(old)) return old;
  const bytes = project.files.reduce((sum, file) => sum + file.size, 0) - old.size + replacement.size;
  if (bytes > quota.maxBytes) {
    return {
      refused: 'conflict',
      message: `the project's upload quota is full (${quota.maxBytes} bytes)`,
      details: { code: 'upload_quota_exceeded', maxBytes: quota.maxBytes },
    };
  }
  return { ...project, files: project.files.map((file) => (file.id === fileId ? replacement : file)) };
}

export function withdrawFile(project: ProjectState, fileId: string): FactChange {
  const old = refusedOn(project, fileId);
  if (isRefusal(old)) return old;
  return { ...project, files: project.files.filter((file) => file.id !== fileId) };
}
