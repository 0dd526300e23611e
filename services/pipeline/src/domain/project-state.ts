import {
  type Actor,
  type FieldType,
  type GatePoint,
  PIPELINE_STAGE_STATUSES,
  type Stage,
} from '@delivery/contracts';
import type { WHO_CAN_ACT } from '@delivery/contracts/routes';

/**
 * Everything the orchestrator decides on, as one value: a project document without its storage
 * bookkeeping. The stage states live on the project (not in a collection of their own) so that a
 * decision and its outbox entries are one conditional update of one document; the design has no
 * multi-document transactions.
 */

export const STAGE_STATUSES = PIPELINE_STAGE_STATUSES;
export type StageStatus = (typeof STAGE_STATUSES)[number];

/** Who can unblock a stage: a role, or someone related to the project (its delivery manager, an assignee). */
export type WhoCanAct = (typeof WHO_CAN_ACT)[number];

/** Why a stage cannot go on, for machines (code) and people (message, who, what to do). */
export interface BlockedReason {
  code: string;
  message: string;
  whoCanAct: WhoCanAct[];
  /** What unblocks it, e.g. `confirm_sale`, `save_onboarding`, `upload_artifact`, `manual_resume`. */
  action: string;
  /** The uploaded file the stage failed on (`action` is then `replace_file`). */
  file?: Pick<StoredFile, 'id' | 'kind' | 'name' | 'uploadedBy'>;
}

export interface StageState {
  status: StageStatus;
  /** 1 for the first run; one more for each re-run after a failure or a send-back. */
  generation: number;
  blockedReasons: BlockedReason[];
  /** The gate point the stage is waiting on while awaiting_approval (asked, or requested). */
  gatePoint: GatePoint | null;
  approvalId: string | null;
  jobId: string | null;
  /** The job's last error, needs-human reason, or the reviewer's send-back comment. */
  note: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date | null;
}

/**
 * A stage generation that has not run yet: of its runs, only the number is kept. A new project's
 * stages start so (generation 1), and so does each re-run. A new value each time.
 */
export function pendingStage(generation: number): Omit<StageState, 'updatedAt'> {
  return {
    status: 'pending',
    generation,
    blockedReasons: [],
    gatePoint: null,
    approvalId: null,
    jobId: null,
    note: null,
    startedAt: null,
    finishedAt: null,
  };
}

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

/** What the project needs, snapshotted from its template's blueprint when it is first known. */
export interface Requirements {
  fields: FieldSpec[];
  artifacts: ArtifactSpec[];
  blueprintRunId: string | null;
}

export interface StoredFile {
  id: string;
  /** `artifact`: an upload the build checks (its name matches a required artifact); `test_report`: JUnit XML. */
  kind: 'artifact' | 'test_report';
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: Actor;
  uploadedAt: Date;
}

export interface Assignee {
  id: string;
  name: string;
  assignedBy: Actor;
  assignedAt: Date;
}

export interface ProjectState {
  id: string;
  name: string;
  client: string;
  templateId: string;
  templateVersion: number;
  deliveryManagerId: string | null;
  requireManualReview: boolean;
  status: 'active' | 'completed' | 'archived';
  currentStage: Stage;
  /** Null until the template's blueprint is known (then the project waits at onboarding). */
  requirements: Requirements | null;
  sale: { confirmedBy: Actor; confirmedAt: Date; note: string | null } | null;
  onboarding: { answers: Record<string, unknown>; updatedBy: Actor | null; updatedAt: Date | null };
  assignees: Assignee[];
  files: StoredFile[];
  /** What a stage's job produced that later stages use (the test stage's defects). */
  outputs: Partial<Record<Stage, unknown>>;
  stages: Record<Stage, StageState>;
  /** Optimistic concurrency: every write is conditional on the version it was decided on. */
  version: number;
  /** Per subject (a job, an approval), the last event sequence applied: older ones change nothing. */
  seen: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}
