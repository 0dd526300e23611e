import type { Actor } from '@delivery/contracts';
import { completeness } from '@delivery/contracts/onboarding';
import type { ProjectState } from './project-state.js';
import type { Trigger } from './triggers.js';

/**
 * The old system's trigger names where the name depends on how a change turned out (so the
 * timeline, events and API say what happened, not only which button was pressed).
 */

type Audit = { field: string; before: unknown; after: unknown };

/**
 * Saved answers, recorded in the timeline as who saved how much of what is required (a draft
 * changes no stage status, so without this record the timeline would not show it at all).
 */
export function onboardingChange(
  current: ProjectState,
  changed: ProjectState,
  actor: Actor,
): { trigger: Trigger; audit?: Audit } {
  const trigger: Trigger = { type: onboardingTrigger(changed), actor };
  // Saving the same answers again changes nothing, and records nothing.
  if (JSON.stringify(current.onboarding.answers) === JSON.stringify(changed.onboarding.answers))
    return { trigger };
  return {
    trigger,
    audit: { field: 'onboarding_answers', before: answeredOf(current), after: answeredOf(changed) },
  };
}

/**
 * A QA lead's (or manager's) defect decisions, recorded by name even when the job they resumed
 * reported back first and the stage has moved on already (the decision is still theirs).
 */
export function defectDecisionsAudit(decisions: Record<string, unknown>): Audit {
  const count = (outcome: string) => Object.values(decisions).filter((value) => value === outcome).length;
  return {
    field: 'defect_decisions',
    before: null,
    after: `${count('confirmed')} confirmed, ${count('rejected')} rejected`,
  };
}

function answeredOf(project: ProjectState): string {
  const required = (project.requirements?.fields ?? []).filter((field) => field.required);
  const answered = required.filter((field) => {
    const value = project.onboarding.answers[field.key];
    return value !== undefined && value !== null && value !== '';
  });
  return `${answered.length} of ${required.length} required answered`;
}

/** An upload, recorded with who uploaded which file (before it reaches its stage, too). */
export function uploadChange(
  file: { kind: 'artifact' | 'test_report'; name: string },
  actor: Actor,
): { trigger: Trigger; audit: Audit } {
  return {
    trigger: { type: file.kind === 'test_report' ? 'test_report_upload' : 'artifact_upload', actor },
    audit: { field: file.kind, before: null, after: file.name },
  };
}

/** Answers that leave required questions open are a draft (`onboarding_updated`); complete ones are submitted. */
export function onboardingTrigger(changed: ProjectState): 'onboarding_updated' | 'onboarding_saved' {
  if (changed.requirements === null) return 'onboarding_updated';
  return completeness(changed.requirements.fields, changed.onboarding.answers).complete
    ? 'onboarding_saved'
    : 'onboarding_updated';
}

/**
 * Assigning people to a project nobody (or the same people and more) delivered is
 * `assignment_updated`; taking someone already assigned off it is a manager overriding an existing
 * assignment, `assignment_override`, recorded with who was assigned before and after.
 */
export function assignmentChange(
  current: ProjectState,
  changed: ProjectState,
  actor: Actor,
): { trigger: Trigger; audit?: Audit } {
  const after = new Set(changed.assignees.map((assignee) => assignee.id));
  const removed = current.assignees.filter((assignee) => !after.has(assignee.id));
  if (removed.length === 0) return { trigger: { type: 'assignment_updated', actor } };
  const names = (project: ProjectState) => project.assignees.map((assignee) => assignee.name).join(', ');
  return {
    trigger: { type: 'assignment_override', actor },
    audit: { field: 'assignees', before: names(current), after: names(changed) || null },
  };
}
