import type { Identity } from './identity.js';
import { ROLES } from './roles.js';

/**
 * Who may act on a project is decided by the person's relation to it, not by a role alone: a
 * delivery manager manages the projects whose manager they are, an assignee works on the projects
 * they are assigned to. One rule, read by every service that guards a project (the pipeline for
 * the project's facts, hitl for its gate overrides), each from its own copy of the same facts, and
 * by the web app (`@delivery/contracts/project-access`, zod-free) so it offers only what is allowed.
 */
export interface ProjectRelations {
  deliveryManagerId: string | null;
  assigneeIds?: readonly string[];
}

const isPerson = (identity: Identity) => identity.kind === 'user';

/** Admins manage every project; a delivery manager only the projects they are the manager of. */
export function managesProject(identity: Identity, project: ProjectRelations): boolean {
  if (identity.roles.includes(ROLES.admin)) return true;
  return (
    isPerson(identity) &&
    identity.roles.includes(ROLES.deliveryManager) &&
    project.deliveryManagerId !== null &&
    project.deliveryManagerId === identity.id
  );
}

/** One of the people assigned to deliver the project. */
export function isAssignee(identity: Identity, project: ProjectRelations): boolean {
  return isPerson(identity) && (project.assigneeIds ?? []).includes(identity.id);
}

/** Files (artifacts, test reports) come from the people who manage or deliver the project. */
export function mayUploadTo(identity: Identity, project: ProjectRelations): boolean {
  return managesProject(identity, project) || isAssignee(identity, project);
}

/**
 * Advancing or resuming a project: its managers, and operators, whose work is to get stuck jobs
 * and stages going again on every project (they change no fact of the project).
 */
export function mayMoveProject(identity: Identity, project: ProjectRelations): boolean {
  return managesProject(identity, project) || identity.roles.includes(ROLES.operator);
}

/**
 * Asking less of a project's gates than the admin's config (a project override looser than it,
 * manual review switched off) is an admin's call alone, whoever manages the project.
 */
export function mayLoosenGates(identity: Identity): boolean {
  return identity.roles.includes(ROLES.admin);
}

/**
 * Who may take each kind of action on a project, as people read it: the refusals say it, and
 * the route contracts document it as the routes' `relation`.
 */
export const WHO_MAY = {
  manage: "an admin or the project's delivery manager",
  move: "an admin, an operator or the project's delivery manager",
  upload: "an admin, the project's delivery manager or one of its assignees",
} as const;
