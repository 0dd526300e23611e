import type { Session } from '../../api/types';

/** What the signed-in person may do on this project, as the APIs' role rules say (so no button leads to a 403). */
export interface Permissions {
  /** Confirm the sale, answer onboarding, set or auto-assign assignees: admin, delivery_manager. */
  manage: boolean;
  /** Upload artifacts and test reports: admin, delivery_manager, or one of the project's assignees. */
  upload: boolean;
  /** Advance and resume: admin, delivery_manager, operator. */
  move: boolean;
  /** Cancel and retry jobs: admin, operator. */
  operateJobs: boolean;
}

const holds = (session: Session, ...roles: string[]) => roles.some((role) => session.roles.includes(role));

export function permissionsOf(
  session: Session,
  project: { status: string; assignees: { id: string }[] },
): Permissions {
  // A completed or archived project refuses every change of its facts.
  const open = project.status === 'active';
  const manager = holds(session, 'admin', 'delivery_manager');
  const assignee = project.assignees.some((person) => person.id === session.user.id);
  return {
    manage: open && manager,
    upload: open && (manager || assignee),
    move: open && holds(session, 'admin', 'delivery_manager', 'operator'),
    operateJobs: holds(session, 'admin', 'operator'),
  };
}
