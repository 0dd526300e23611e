import type { Stage } from '@delivery/contracts';
import { type Approval, type ApprovalChange, supersede, withdraw } from './approval.js';

/** What the pipeline announced about a project that can close its open approvals. */
export type ProjectChange =
  /** The project's status as its announcement at `sequence` said. */
  | { type: 'status'; status: 'active' | 'completed' | 'archived'; sequence: number }
  /** A stage went back to pending as a generation newer than its approvals (a rework, a restore). */
  | { type: 'stage_reset'; stage: Stage; generation: number };

/**
 * The approvals a project change closes: all of an archived project's (withdrawn), or those of a
 * stage whose generation they no longer are (superseded, as a newer evaluation would). Pure.
 */
export function closingsFor(change: ProjectChange, open: readonly Approval[], now: Date): ApprovalChange[] {
  const closings =
    change.type === 'status'
      ? change.status === 'archived'
        ? open.map((approval) => withdraw(approval, change.sequence, now))
        : []
      : open
          .filter((approval) => approval.stage === change.stage)
          .map((approval) => supersede(approval, change.generation, now));
  return closings.filter((closing): closing is ApprovalChange => closing !== undefined);
}
