import type { Identity } from '@delivery/contracts';
import {
  type FileRelations,
  managesProject,
  mayChangeFile,
  mayDecideDefects,
  mayLoosenGates,
  mayMoveProject,
  mayUploadTo,
} from '@delivery/contracts/project-access';
import type { Session } from '../../api/answers';

/**
 * What the signed-in person may do on this project, by the very rule the services apply
 * (@delivery/contracts project-access: the relation to the project, not the role alone), so no
 * button leads to a 403.
 */
export interface Permissions {
  /** Confirm the sale, answer onboarding, assign, archive, hand over: admins and the project's manager. */
  manage: boolean;
  /** Switch manual review off (a loosening of every automated stage's review): admins only. */
  loosenReview: boolean;
  /** Archive (an open or completed project) or restore (an archived one): admins and the project's manager. */
  archive: boolean;
  restore: boolean;
  /** Upload artifacts and test reports: the managers above and the project's assignees. */
  upload: boolean;
  /** Advance and resume: the managers above and operators. */
  move: boolean;
  /** Confirm or reject the defects of defect validation: QA leads, the project's manager and admins. */
  decideDefects: boolean;
  /** Cancel and retry jobs: admin, operator. */
  operateJobs: boolean;
}

type ProjectFacts = { status: string; deliveryManagerId: string | null; assignees: { id: string }[] };

const personOf = (session: Session): Identity => ({
  kind: 'user',
  id: session.user.id,
  name: session.user.name,
  roles: session.roles,
});

const relationsOf = (project: ProjectFacts) => ({
  deliveryManagerId: project.deliveryManagerId,
  assigneeIds: project.assignees.map((assignee) => assignee.id),
});

/**
 * Whether this person may replace or withdraw a file of the project: its uploader, the project's
 * manager, an admin (the services' rule), and only while the project is open.
 */
export const fileChangeRule =
  (session: Session, project: ProjectFacts) =>
  (file: FileRelations): boolean =>
    project.status === 'active' && mayChangeFile(personOf(session), relationsOf(project), file);

const holds = (session: Session, ...roles: string[]) => roles.some((role) => session.roles.includes(role));

export function permissionsOf(session: Session, project: ProjectFacts): Permissions {
  // A completed or archived project refuses every change of its facts.
  const open = project.status === 'active';
  const person = personOf(session);
  const relations = relationsOf(project);
  const manages = managesProject(person, relations);
  return {
    manage: open && manages,
    archive: manages && project.status !== 'archived',
    restore: manages && project.status === 'archived',
    loosenReview: open && mayLoosenGates(person),
    upload: open && mayUploadTo(person, relations),
    move: open && mayMoveProject(person, relations),
    decideDefects: open && mayDecideDefects(person, relations),
    operateJobs: holds(session, 'admin', 'operator'),
  };
}
