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

/** The services with dead-letter queues behind the gateway's `/api/dead-letters/<service>`. */
export const DEAD_LETTER_SERVICES = ['pipeline', 'hitl', 'job-runner', 'template-blueprint'] as const;
export type DeadLetterService = (typeof DEAD_LETTER_SERVICES)[number];

export interface DeadLetter {
  /** The envelope id (a content hash for a message that had none): what a replay of one names. */
  id: string;
  type: string | null;
  reason: string;
  originalExchange: string;
  originalRoutingKey: string;
  firstFailureAt: string | null;
  lastFailureAt: string | null;
  /** Whatever else the service tells about the message (a body, headers), shown when inspecting. */
  [more: string]: unknown;
}

export interface DeadLetterQueueReport {
  queue: string;
  /** Messages in the queue; null when it could not be read (then `error` says why). */
  count: number | null;
  /** The oldest messages, up to the listing's limit. */
  messages: DeadLetter[];
  error?: 'queue_missing' | 'broker_unavailable';
}

export type GatePoint = 'before' | 'after';

export interface GateConfig {
  required: boolean;
  point: GatePoint;
  approverRoles: string[];
  approvalsNeeded: number;
  expiresAfterMinutes: number;
  allowSelfApproval: boolean;
}

export type GlobalGateConfig = Partial<Record<Stage, GateConfig>>;
export type ProjectGateOverrides = Partial<Record<Stage, Partial<GateConfig>>>;

/** `GET /api/gates/config` and `GET /api/projects/:id/gate-overrides`. */
export interface ConfigView<T> {
  stages: T;
  /** Sent back as `expectedRevision`, so a save never overwrites a change made meanwhile. */
  revision: number;
  updatedAt: string | null;
}
