import type { WhyView } from '../../api/answers';
import type { Permissions } from './permissions';

/** The page sections a step can send a person to (their element ids). */
export type Section = 'onboarding' | 'assignment' | 'uploads' | 'stage-job';

/** What the why panel offers next to its reasons: only what this person may do. */
export type NextStep =
  | { kind: 'confirm_sale' }
  | { kind: 'go'; section: Section; label: string }
  | { kind: 'resume'; label: 'Resume stage' | 'Resume job' }
  | { kind: 'advance' };

/** Maps each blocking reason's `action` to the control that performs it, deduplicated, in reason order. */
export function nextSteps(why: WhyView, may: Permissions): NextStep[] {
  if (why.status !== 'active') return [];
  const steps: NextStep[] = [];
  const add = (step: NextStep) => {
    if (!steps.some((known) => JSON.stringify(known) === JSON.stringify(step))) steps.push(step);
  };
  for (const reason of why.blockedReasons) {
    switch (reason.action) {
      case 'confirm_sale':
        if (may.manage) add({ kind: 'confirm_sale' });
        break;
      case 'save_onboarding':
        if (may.manage) add({ kind: 'go', section: 'onboarding', label: 'Answer the onboarding questions' });
        break;
      case 'assign':
        if (may.manage) add({ kind: 'go', section: 'assignment', label: 'Choose assignees' });
        break;
      case 'upload_artifact':
        if (may.upload) add({ kind: 'go', section: 'uploads', label: 'Upload the missing artifacts' });
        break;
      case 'upload_test_report':
        if (may.upload) add({ kind: 'go', section: 'uploads', label: 'Upload a test report' });
        break;
      case 'manual_resume':
      case 'rework':
        if (may.move) add({ kind: 'resume', label: 'Resume stage' });
        break;
      case 'resume_job':
        if (may.move) add({ kind: 'resume', label: 'Resume job' });
        break;
      case 'decide_defects':
        // Decided one by one where the defects are listed; QA leads too, who move nothing else.
        if (may.decideDefects) add({ kind: 'go', section: 'stage-job', label: 'Decide on the defects' });
        break;
      // `replace_file` is offered beside its reason, which names the file (WhyPanel).
    }
  }
  // Advance re-evaluates the stage; harmless when nothing changed, useful after a fix elsewhere.
  if (may.move) add({ kind: 'advance' });
  return steps;
}
