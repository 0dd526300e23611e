import type { FieldType } from '@delivery/contracts/field-types';
import type { Stage } from '@delivery/contracts/stages';
import type { BlockedReason, ProjectSummary } from '../../api/types';

/** The shapes the project page reads, as the pipeline, hitl and job-runner answer them (dates as ISO text). */

export interface Actor {
  kind: string;
  id: string;
  name: string;
}

export type StageStatus =
  | 'pending'
  | 'blocked'
  | 'ready'
  | 'awaiting_approval'
  | 'running'
  | 'needs_human'
  | 'failed'
  | 'sent_back'
  | 'succeeded';

export interface StageState {
  status: StageStatus;
  generation: number;
  blockedReasons: BlockedReason[];
  gatePoint: 'before' | 'after' | null;
  approvalId: string | null;
  jobId: string | null;
  note: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string | null;
}

/** `GET /api/projects/:id/pipeline`. */
export interface PipelineView extends ProjectSummary {
  templateId: string;
  templateVersion: number;
  stages: Record<Stage, StageState>;
  awaitingApprovalStageKey: Stage | null;
  blockedReasons: BlockedReason[];
  requiredActions: { action: string; whoCanAct: string[] }[];
}

/** An onboarding question, snapshotted from the template's blueprint. */
export interface FieldSpec {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  validation?: { pattern?: string; min?: number; max?: number; options?: string[] };
}

export interface ArtifactSpec {
  name: string;
  contentType: string | string[];
  maxSizeBytes: number;
  required: boolean;
}

export interface StoredFile {
  id: string;
  kind: 'artifact' | 'test_report';
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: Actor;
  uploadedAt: string;
}

/** `GET /api/projects/:id`: the whole project. */
export interface ProjectDetail {
  id: string;
  name: string;
  client: string;
  templateId: string;
  templateVersion: number;
  deliveryManagerId: string | null;
  requireManualReview: boolean;
  status: 'active' | 'completed' | 'archived';
  currentStage: Stage;
  requirements: { fields: FieldSpec[]; artifacts: ArtifactSpec[]; blueprintRunId: string | null } | null;
  sale: { confirmedBy: Actor; confirmedAt: string; note: string | null } | null;
  onboarding: { answers: Record<string, unknown>; updatedBy: Actor | null; updatedAt: string | null };
  assignees: { id: string; name: string; assignedBy: Actor; assignedAt: string }[];
  files: StoredFile[];
  outputs: Partial<Record<Stage, unknown>>;
  stages: Record<Stage, StageState>;
  createdAt: string;
  updatedAt: string;
}

/** A part of `why` another service could not answer. */
export interface Unavailable {
  unavailable: true;
  service: string;
  reason: string;
}

export const isUnavailable = (part: unknown): part is Unavailable =>
  typeof part === 'object' && part !== null && (part as { unavailable?: unknown }).unavailable === true;

export interface Vote {
  by: Actor;
  at: string;
  comment: string | null;
}

export interface Approval {
  id: string;
  stage: Stage;
  generation: number;
  point: 'before' | 'after';
  attempt: number;
  status: 'pending' | 'granted' | 'sent_back' | 'expired' | 'superseded' | 'withdrawn';
  gate: { approverRoles: string[]; approvalsNeeded: number; expiresAfterMinutes: number };
  requestedBy: Actor;
  votes: Vote[];
  requestedAt: string;
  expiresAt: string;
}

export type JobStatus = 'QUEUED' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'NEEDS_HUMAN' | 'CANCELED';

/** The job as `why` summarises it. */
export interface WhyJob {
  id: string;
  kind: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  nextRunAt: string | null;
  lockedBy: string | null;
  leaseExpiresAt: string | null;
}

/** `GET /api/projects/:id/why`. */
export interface WhyView {
  projectId: string;
  status: ProjectDetail['status'];
  stage: Stage;
  stageStatus: StageStatus;
  generation: number;
  summary: string;
  blockedReasons: BlockedReason[];
  note: string | null;
  blueprintMissing: boolean;
  approval: Approval | Unavailable | null;
  job: WhyJob | Unavailable | null;
}

export interface AttemptRecord {
  attempt: number;
  workerId: string;
  startedAt: string;
  endedAt?: string;
  outcome?: string;
  error?: string;
}

/** `GET /api/jobs/:id`. */
export interface Job {
  id: string;
  projectId: string;
  stage: Stage;
  kind: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  result: unknown;
  needsHumanReason: string | null;
  nextRunAt: string | null;
  lockedBy: string | null;
  leaseExpiresAt: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  history: AttemptRecord[];
}

export interface TimelineEntry {
  at: string;
  stage: Stage;
  generation: number;
  from: string;
  to: string;
  trigger: string;
  actor: Actor | null;
  correlationId: string;
  /** A change of the project's facts (manager, manual review, status) rather than of a stage. */
  fact?: { field: string; before: unknown; after: unknown };
}
