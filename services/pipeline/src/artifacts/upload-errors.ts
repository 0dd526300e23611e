import { DomainError } from '@delivery/service-kit';
import type { UploadRefusal } from './upload-rules.js';

/** An upload refused: the status and code say why (mapped to HTTP once, by the service's error mapper). */
export class UploadRefusedError extends DomainError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

/** The multipart form is not the one the route reads: 400 saying what to send instead. */
export const malformedUpload = (message: string) => new UploadRefusedError(400, 'malformed_upload', message);

/** The one place an upload rule's refusal gets its status. */
export function refusalError(refusal: UploadRefusal): UploadRefusedError {
  switch (refusal.reason) {
    case 'name_invalid':
      return malformedUpload(refusal.message);
    case 'project_closed':
      return new UploadRefusedError(409, 'project_closed', refusal.message, { status: refusal.status });
    case 'quota_files':
      return new UploadRefusedError(409, 'upload_quota_exceeded', refusal.message, {
        maxFiles: refusal.maxFiles,
      });
    case 'blueprint_missing':
      return new UploadRefusedError(409, 'blueprint_missing', refusal.message);
    case 'unknown_artifact':
      return new UploadRefusedError(422, 'unknown_artifact', refusal.message, {
        allowedNames: refusal.allowedNames,
      });
    case 'content_type_refused':
      return new UploadRefusedError(415, 'unsupported_media_type', refusal.message, {
        accepted: refusal.accepted,
      });
  }
}
