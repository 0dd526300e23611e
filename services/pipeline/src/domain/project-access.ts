import {
  type Identity,
  managesProject,
  mayChangeFile,
  mayDecideDefects,
  mayMoveProject,
  mayUploadTo,
  type ProjectRelations,
  ROLES,
  WHO_MAY,
} from '@delivery/contracts';
import type { FactChange, Refused } from './fact-changes.js';
import type { ProjectState, StoredFile } from './project-state.js';

/**
 * The pipeline's side of the project access rule (@delivery/contracts/project-access). Checked
 * on the project as the orchestrator loaded it for the write, so a change racing a handover is
 * judged against the manager the write is conditional on.
 */
export const relationsOf = (project: ProjectState): ProjectRelations => ({
  deliveryManagerId: project.deliveryManagerId,
  assigneeIds: project.assignees.map((assignee) => assignee.id),
});

export type ProjectAction = 'manage' | 'move' | 'upload' | 'decideDefects';

const RULES: Record<ProjectAction, { allows: typeof managesProject; who: string }> = {
  manage: { allows: managesProject, who: WHO_MAY.manage },
  move: { allows: mayMoveProject, who: WHO_MAY.move },
  upload: { allows: mayUploadTo, who: WHO_MAY.upload },
  decideDefects: { allows: mayDecideDefects, who: WHO_MAY.decideDefects },
};

export function forbidden(action: ProjectAction, project: ProjectState): Refused {
  return refusedAs(RULES[action].who, project);
}

/**
 * Replacing or withdrawing `file`: its uploader, the project's manager or an admin. The refusal
 * names the uploader, so the person refused knows whom to ask.
 */
export function refuseFileChange(
  identity: Identity,
  project: ProjectState,
  file: StoredFile,
): Refused | undefined {
  if (mayChangeFile(identity, relationsOf(project), file)) return undefined;
  const refusal = refusedAs(WHO_MAY.changeFile, project);
  return {
    ...refusal,
    message: `${refusal.message}; "${file.name}" was uploaded by ${file.uploadedBy.name}`,
    details: { ...refusal.details, fileId: file.id, uploadedBy: file.uploadedBy },
  };
}

function refusedAs(who: string, project: ProjectState): Refused {
  return {
    refused: 'forbidden',
    message: `only ${who} may do this`,
    details: { projectId: project.id, deliveryManagerId: project.deliveryManagerId },
  };
}

/** The refusal when the person may not take the action on this project, else undefined. */
export function refuseUnless(
  action: ProjectAction,
  identity: Identity,
  project: ProjectState,
): Refused | undefined {
  return RULES[action].allows(identity, relationsOf(project)) ? undefined : forbidden(action, project);
}

/** A fact change that only someone allowed the action on this project may make. */
export const guarded =
  (action: ProjectAction, identity: Identity, change: (project: ProjectState) => FactChange) =>
  (project: ProjectState): FactChange =>
    refuseUnless(action, identity, project) ?? change(project);

/**
 * Who manages a new project: an admin names anyone (or no one); a delivery manager creates
 * projects they manage themselves, so naming someone else is refused rather than handing over a
 * project nobody agreed to take.
 */
export function managerOfNewProject(
  identity: Identity,
  requested: string | null,
): { deliveryManagerId: string | null } | Refused {
  if (identity.roles.includes(ROLES.admin)) return { deliveryManagerId: requested };
  if (requested === null || requested === identity.id) return { deliveryManagerId: identity.id };
  return {
    refused: 'forbidden',
    message: 'a delivery manager creates projects they manage; an admin can name another manager',
    details: { deliveryManagerId: requested },
  };
}
