import { actorOf, type Identity } from '@delivery/contracts';
import { pipelineRoutes as routes } from '@delivery/contracts/routes';
import { ConflictError, ForbiddenError, type Logger, NotFoundError, serveRoute } from '@delivery/service-kit';
import { type Request, Router } from 'express';
import type { PipelineConfig } from '../config.js';
import { fileRecord, replaceFile, withdrawFile } from '../domain/file-changes.js';
import { refuseFileChange } from '../domain/project-access.js';
import type { ProjectState, StoredFile } from '../domain/project-state.js';
import { orRefuse } from '../http/refusals.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import { quotaOf, receiveUpload, requireMultipart } from './artifact-routes.js';
import type { FileStore } from './file-store.js';

export interface FileChangeRoutesDeps {
  files: FileStore;
  projects: { get(id: string): Promise<ProjectState> };
  orchestrator: Pick<Orchestrator, 'run'>;
  config: Pick<PipelineConfig, 'TEST_REPORT_MAX_BYTES' | 'PROJECT_MAX_FILES' | 'PROJECT_MAX_BYTES'>;
  logger: Logger;
  now?: () => Date;
}

/**
 * Replacing an uploaded file with a corrected one and withdrawing one: what gets a project out of
 * a stage that failed on a file (a resume alone would read the same file again). Each is one
 * orchestrator run, so the stage that read the file runs again with the files current at its
 * start, and the timeline records who changed which file (before and after). The old bytes are
 * removed once the project no longer names them. Mount with createHttpApp's `uploadRoutes`.
 */
export function fileChangeRoutes(deps: FileChangeRoutesDeps): Router {
  const router = Router();

  serveRoute(router, routes.replaceFile, async ({ params, identity, req }) => ({
    body: await replace(deps, params.id, params.fileId, identity, req),
  }));

  serveRoute(router, routes.withdrawFile, async ({ params, identity, req }) => {
    const { project, file } = await fileToChange(deps, params.id, params.fileId, identity);
    await deps.orchestrator.run(
      project.id,
      { type: 'file_withdrawn', actor: actorOf(identity) },
      {
        correlationId: req.correlationId,
        change: orRefuse((current) => refusedOn(identity, current, file) ?? withdrawFile(current, file.id)),
        audit: { field: 'file', before: fileRecord(file), after: null },
      },
    );
    await removeBytes(deps, file);
    return { status: 204 };
  });

  return router;
}

async function replace(
  deps: FileChangeRoutesDeps,
  projectId: string,
  fileId: string,
  identity: Identity,
  req: Request,
): Promise<StoredFile> {
  requireMultipart(req);
  const { project, file: old } = await fileToChange(deps, projectId, fileId, identity);
  const used = project.files.reduce((sum, file) => sum + file.size, 0);
  const replacement = await receiveUpload(deps, req, {
    kind: old.kind,
    project,
    actor: actorOf(identity),
    // The old file's bytes leave with it: they count as room.
    remainingBytes: Math.max(0, deps.config.PROJECT_MAX_BYTES - used + old.size),
    defaultName: old.kind === 'artifact' ? old.name : undefined,
  });
  try {
    await deps.orchestrator.run(
      project.id,
      { type: 'file_replaced', actor: actorOf(identity) },
      {
        correlationId: req.correlationId,
        change: orRefuse(
          (current) =>
            refusedOn(identity, current, old) ??
            replaceFile(current, old.id, replacement, quotaOf(deps.config)),
        ),
        audit: { field: 'file', before: fileRecord(old), after: fileRecord(replacement) },
      },
    );
  } catch (error) {
    await deps.files.delete(replacement.id);
    throw error;
  }
  await removeBytes(deps, old);
  return replacement;
}

/** The project and its file, once the caller may change it (404 without either, 403 without the relation, 409 when closed). */
async function fileToChange(
  deps: FileChangeRoutesDeps,
  projectId: string,
  fileId: string,
  identity: Identity,
): Promise<{ project: ProjectState; file: StoredFile }> {
  const project = await deps.projects.get(projectId);
  const file = project.files.find((candidate) => candidate.id === fileId);
  if (!file) throw new NotFoundError(`project ${project.id} has no file ${fileId}`, { fileId });
  const refusal = refuseFileChange(identity, project, file);
  if (refusal) throw new ForbiddenError(refusal.message, refusal.details);
  if (project.status !== 'active') {
    throw new ConflictError(`the project is ${project.status}: its files can no longer change`, {
      status: project.status,
    });
  }
  return { project, file };
}

/** Judged again on the project as the write sees it: a handover meanwhile may have taken the right away. */
const refusedOn = (identity: Identity, project: ProjectState, file: StoredFile) => {
  const current = project.files.find((candidate) => candidate.id === file.id);
  return current ? refuseFileChange(identity, project, current) : undefined;
};

/**
 * The project no longer names the file, so its bytes go. Should that fail, the change stands
 * (the answer says what happened to the project); the bytes are orphaned and logged, not served.
 */
async function removeBytes(deps: FileChangeRoutesDeps, file: StoredFile): Promise<void> {
  await deps.files.delete(file.id).catch((error: unknown) => {
    deps.logger.error(
      { err: error, fileId: file.id },
      'the bytes of a replaced or withdrawn file were not removed',
    );
  });
}
