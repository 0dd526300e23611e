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

/** Who uploaded a file, as the project keeps it: a person, or a service acting on its own. */
export interface FileRelations {
  uploadedBy: { kind: string; id: string };
}

/**
 * Replacing or withdrawing an uploaded file: the person who uploaded it (even once no longer
 * assigned: it is their file), the project's manager and admins. Another assignee may not touch
 * a colleague's file, and no role alone (a QA lead, an operator) reaches a project's files.
 */
export function mayChangeFile(identity: Identity, project: ProjectRelations, file: FileRelations): boolean {
  if (managesProject(identity, project)) return true;
  return isPerson(identity) && file.uploadedBy.kind === 'user' && file.uploadedBy.id === identity.id;
}

/**
 * Confirming or rejecting the defects the test stage found: QA leads (on every project: judging
 * defects is their work, not the project's), the project's manager and admins. Operators, who may
 * resume any stage, may not: a defect decision is a judgement, not getting a job going again.
 */
export function mayDecideDefects(identity: Identity, project: ProjectRelations): boolean {
  return managesProject(identity, project) || (isPerson(identity) && identity.roles.includes(ROLES.qaLead));
}

/**
 * The same two rules as the why panel's "who can act" names them (the pipeline's blocking
 * reasons carry these lists, the web app labels them).
 */
export const FILE_KEEPERS = ['uploader', 'delivery_manager', 'admin'] as const;
export const DEFECT_DECIDERS = ['qa_lead', 'delivery_manager', 'admin'] as const;

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
  changeFile: "the person who uploaded the file, the project's delivery manager or an admin",
  decideDefects: "a QA lead, the project's delivery manager or an admin",
} as const;
