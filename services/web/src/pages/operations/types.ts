/** The shapes the Operations area reads (as job-runner, hitl and every service's dead-letter routes answer). */

import type { JobStatus } from '@delivery/contracts/job-statuses';
import type { Stage } from '@delivery/contracts/stages';

export type { JobStatus };

/** A job as `GET /api/jobs` lists it (no payload, result or history in lists). */
export interface JobView {
  id: string;
  projectId: string;
  stage: Stage;
  kind: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  retries: number;
  /** The last attempt's error; cleared when the job is retried or resumed. */
  error: string | null;
  needsHumanReason: string | null;
  nextRunAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  deadLetteredAt: string | null;
}

/** `GET /api/jobs/stats`. */
export interface JobStats {
  byStatus: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  /** How long the job that came due first has waited, or null when none waits. */
  oldestQueuedAgeMs: number | null;
  retriesScheduled: number;
  deadLettered: number;
}
