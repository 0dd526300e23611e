import type { RunStatus } from '../../api/answers';
import { isActiveRun, RUN_STATUS_TEXT } from './run-status';

/** A run's status as a coloured badge; queued and running ones say they are busy. */
export function RunStatusBadge({ status }: { status: RunStatus | 'none' }) {
  return (
    <span
      className={`run-status run-status-${status}`}
      data-status={status}
      aria-busy={isActiveRun(status) || undefined}
    >
      {RUN_STATUS_TEXT[status]}
    </span>
  );
}
