import type { Actor } from '@delivery/contracts';
import { completeness } from '@delivery/contracts/onboarding';
import type { ProjectState } from './project-state.js';
import type { Trigger } from './triggers.js';

/**
 * The old system's trigger names where the name depends on how a change turned out (so the
 * timeline, events and API say what happened, not only which button was pressed).
 */

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
): { trigger: Trigger; audit?: { field: string; before: unknown; after: unknown } } {
  const after = new Set(changed.assignees.map((assignee) => assignee.id));
  const removed = current.assignees.filter((assignee) => !after.has(assignee.id));
  if (removed.length === 0) return { trigger: { type: 'assignment_updated', actor } };
  const names = (project: ProjectState) => project.assignees.map((assignee) => assignee.name).join(', ');
  return {
    trigger: { type: 'assignment_override', actor },
    audit: { field: 'assignees', before: names(current), after: names(changed) || null },
  };
}
