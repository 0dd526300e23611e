import { type Actor, actorOf, type Identity } from '@delivery/contracts';
import { pipelineRoutes as routes } from '@delivery/contracts/routes';
import { ForbiddenError, NotFoundError, serveRoute, UnsupportedMediaTypeError } from '@delivery/service-kit';
import { type Request, Router } from 'express';
import type { PipelineConfig } from '../config.js';
import { refuseUnless } from '../domain/project-access.js';
import type { ProjectState, StoredFile } from '../domain/project-state.js';
import { type FileStore, FileTooLargeError } from './file-store.js';
import { receiveSingleFile } from './single-file-form.js';
import { refusalError, UploadRefusedError } from './upload-errors.js';
import {
  decideUpload,
  type ProjectQuota,
  projectBytesExceeded,
  type UploadKind,
  uploadRoom,
} from './upload-rules.js';

export interface ArtifactRoutesDeps {
  files: FileStore;
  /** The project as it is now; throws NotFoundError for an unknown id. */
  projects: { get(id: string): Promise<ProjectState> };
  /** Records the kept file on the project (and lets it advance); when it throws, the file is removed again. */
  onStored(projectId: string, file: StoredFile, actor: Actor): Promise<void>;
  config: Pick<PipelineConfig, 'TEST_REPORT_MAX_BYTES' | 'PROJECT_MAX_FILES' | 'PROJECT_MAX_BYTES'>;
  now?: () => Date;
}

/**
 * Uploads (multipart, streamed into GridFS), lists and downloads of a project's files. Mount it
 * with createHttpApp's `uploadRoutes`: the upload bodies are multipart, not JSON.
 */
export function artifactRoutes(deps: ArtifactRoutesDeps): Router {
  const router = Router();
  // The upload routes read their multipart body themselves, streaming the file as it arrives.
  serveRoute(router, routes.uploadArtifact, async ({ params, identity, req }) => ({
    status: 201,
    body: await upload(deps, 'artifact', String(params.id), identity, req),
  }));
  serveRoute(router, routes.uploadTestReport, async ({ params, identity, req }) => ({
    status: 201,
    body: await upload(deps, 'test_report', String(params.id), identity, req),
  }));

  serveRoute(router, routes.listFiles, async ({ params, query: { kind } }) => {
    const project = await deps.projects.get(String(params.id));
    return { body: project.files.filter((file) => kind === undefined || file.kind === kind) };
  });

  // Answers with the file's bytes itself: the reply is no JSON, so the handler returns nothing.
  serveRoute(router, routes.downloadFile, async ({ params, res }) => {
    const project = await deps.projects.get(String(params.id));
    const file = project.files.find((candidate) => candidate.id === params.fileId);
    if (!file) throw new NotFoundError(`project ${project.id} has no file ${params.fileId}`);
    const bytes = await deps.files.open(file.id);
    res.attachment(file.name);
    // Set raw: express's res.type/res.set would add a charset the upload never declared.
    res.setHeader('content-type', file.contentType);
    res.setHeader('content-length', String(file.size));
    res.setHeader('etag', `"${file.sha256}"`);
    // Uploaded bytes are served as what they were declared to be, never sniffed into HTML.
    res.setHeader('x-content-type-options', 'nosniff');
    // Settles once the bytes went out; fails (to the error mapper) only while nothing was sent.
    await new Promise<void>((resolve, reject) => {
      bytes.on('error', (error) => {
        // Once bytes went out the status cannot change: cutting the response tells the client.
        if (res.headersSent) {
          res.destroy(error);
          resolve();
          return;
        }
        // The error answer is not the file: it must not be saved as one or cached under its tag.
        res.removeHeader('content-disposition');
        res.removeHeader('etag');
        reject(error);
      });
      res.on('close', () => {
        bytes.destroy();
        resolve();
      });
      bytes.pipe(res);
    });
    return undefined;
  });
  return router;
}

async function upload(
  deps: ArtifactRoutesDeps,
  kind: UploadKind,
  projectId: string,
  identity: Identity,
  req: Request,
): Promise<StoredFile> {
  requireMultipart(req);
  const project = await deps.projects.get(projectId);
  const refusal = refuseUnless('upload', identity, project);
  if (refusal) throw new ForbiddenError(refusal.message, refusal.details);
  const room = uploadRoom(project, quotaOf(deps.config));
  if (!room.allowed) throw refusalError(room.refusal);
  const file = await receiveUpload(deps, req, {
    kind,
    project,
    actor: actorOf(identity),
    remainingBytes: room.remainingBytes,
  });

  try {
    await deps.onStored(project.id, file, actorOf(identity));
  } catch (error) {
    await deps.files.delete(file.id);
    throw error;
  }
  return file;
}

export function requireMultipart(req: Request): void {
  if (!req.is('multipart/form-data')) {
    throw new UnsupportedMediaTypeError(
      'send the upload as multipart/form-data, the file in a part named "file"',
      {
        accepted: ['multipart/form-data'],
      },
    );
  }
}

export interface UploadTarget {
  kind: UploadKind;
  project: ProjectState;
  actor: Actor;
  /** The bytes the project has room for. */
  remainingBytes: number;
  /** The artifact name when the form gives none (a replacement keeps the name it replaces). */
  defaultName?: string;
}

/**
 * Streams the request's one file into the store after the upload rules allowed it, and answers
 * what was kept; a refusal stores nothing. The caller records the file on the project (and
 * removes the bytes again when that fails).
 */
export function receiveUpload(
  deps: Pick<ArtifactRoutesDeps, 'files' | 'config' | 'now'>,
  req: Request,
  { kind, project, actor, remainingBytes, defaultName }: UploadTarget,
): Promise<StoredFile> {
  const now = deps.now ?? (() => new Date());
  return receiveSingleFile<StoredFile>(req, {
    fields: kind === 'artifact' ? ['name'] : [],
    store: async (incoming, fields) => {
      const decision = decideUpload(
        {
          kind,
          name: fields.name ?? defaultName ?? incoming.filename,
          declaredContentType: incoming.declaredContentType,
        },
        project.requirements,
        { testReportMaxBytes: deps.config.TEST_REPORT_MAX_BYTES },
      );
      if (!decision.allowed) throw refusalError(decision.refusal);
      const { name, contentType } = decision;
      const metadata = { projectId: project.id, kind, name, contentType, uploadedBy: actor };
      const maxBytes = Math.min(decision.maxBytes, remainingBytes);
      const bytes = await deps.files
        .store(incoming.stream, { filename: name, metadata }, maxBytes)
        .catch((error: unknown) => {
          if (error instanceof FileTooLargeError && maxBytes < decision.maxBytes) {
            const exceeded = projectBytesExceeded(quotaOf(deps.config), remainingBytes);
            throw new UploadRefusedError(413, 'upload_quota_exceeded', exceeded.message, exceeded.details);
          }
          throw error;
        });
      return { ...bytes, kind, name, contentType, uploadedBy: actor, uploadedAt: now() };
    },
    discard: (stored) => deps.files.delete(stored.id),
  });
}

export const quotaOf = (
  config: Pick<PipelineConfig, 'PROJECT_MAX_FILES' | 'PROJECT_MAX_BYTES'>,
): ProjectQuota => ({
  maxFiles: config.PROJECT_MAX_FILES,
  maxBytes: config.PROJECT_MAX_BYTES,
});
