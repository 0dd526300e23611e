import type { Actor, Responsibility, ResponsiblePerson, Stage } from '@delivery/contracts';
import type { ProjectState, StoredFile } from './project-state.js';

interface Someone {
  id: string;
  name: string;
}

type Contribution = [Someone, Responsibility];

/**
 * The people whose work a gate of `stage` reviews, in the order found, each once (matched by id)
 * with every reason. Hitl refuses their approval unless the gate allows self-approval, whoever
 * asked for the gate: a gate the pipeline asks for by itself is still someone's work.
 *
 * | stage               | responsible                                              |
 * |---------------------|----------------------------------------------------------|
 * | every stage         | the requester, when a person                             |
 * | 0_sales             | who confirmed the sale                                   |
 * | 1_onboarding        | who last saved the answers                               |
 * | 2_assignment        | who chose the assignees, and the assignees               |
 * | 3_build             | uploaders of artifacts, and the assignees                |
 * | 4_test              | uploaders of test reports, and the assignees             |
 * | 5_defect_validation | uploaders of test reports (the defects come from them), and the assignees |
 * | 6_complete          | nobody more (it has no gate)                             |
 *
 * Files are not kept per generation: every file of the kind is handed to each generation's job
 * (see job-payloads.ts), so every uploader of that kind counts. Who confirmed the defects is not
 * among the project's facts (it reaches the job-runner as resume input), so 5_defect_validation
 * names the people whose work the defects are about. Services are never responsible.
 */
export function responsiblePeople(
  project: ProjectState,
  stage: Stage,
  requestedBy: Actor,
): ResponsiblePerson[] {
  const contributions: Contribution[] = [
    ...actors([requestedBy], 'requested'),
    ...contributionsTo(project, stage),
  ];
  const found = new Map<string, ResponsiblePerson>();
  for (const [someone, reason] of contributions) {
    const known = found.get(someone.id);
    if (!known) found.set(someone.id, { id: someone.id, name: someone.name, reasons: [reason] });
    else if (!known.reasons.includes(reason)) known.reasons.push(reason);
  }
  return [...found.values()];
}

function contributionsTo(project: ProjectState, stage: Stage): Contribution[] {
  const assignees = project.assignees.map((assignee): Contribution => [assignee, 'assignee']);
  switch (stage) {
    case '0_sales':
      return actors([project.sale?.confirmedBy], 'confirmed_sale');
    case '1_onboarding':
      return actors([project.onboarding.updatedBy], 'saved_onboarding');
    case '2_assignment':
      return [
        ...actors(
          project.assignees.map((assignee) => assignee.assignedBy),
          'assigned',
        ),
        ...assignees,
      ];
    case '3_build':
      return [...uploaders(project.files, 'artifact', 'uploaded_artifact'), ...assignees];
    case '4_test':
    case '5_defect_validation':
      return [...uploaders(project.files, 'test_report', 'uploaded_test_report'), ...assignees];
    case '6_complete':
      return [];
  }
}

const uploaders = (files: StoredFile[], kind: StoredFile['kind'], reason: Responsibility): Contribution[] =>
  actors(
    files.filter((file) => file.kind === kind).map((file) => file.uploadedBy),
    reason,
  );

/** The people among these actors; a service acting on its own is nobody's work. */
const actors = (found: (Actor | null | undefined)[], reason: Responsibility): Contribution[] =>
  found
    .filter((actor): actor is Actor => actor?.kind === 'user')
    .map((actor): Contribution => [{ id: actor.id, name: actor.name }, reason]);
