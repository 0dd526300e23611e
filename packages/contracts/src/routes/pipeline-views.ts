import { z } from 'zod';
import { gatePointSchema } from '../hitl.js';
import { actorSchema } from '../identity.js';
import { projectStageChanged, stageStatusSchema } from '../projects.js';
import { stageSchema } from '../stages.js';
import { fieldTypeSchema } from '../templates/template-field.js';
import { approvalViewSchema } from './hitl-views.js';
import { jobViewSchema } from './job-runner.js';

/**
 * What the pipeline answers, as JSON on the wire (dates as ISO text): the shapes the web app and
 * other services read a project with. Objects are not strict, so a field added later breaks no
 * client; every field a client reads is named.
 */

const timestamp = z.iso.datetime();
const projectStatusSchema = z.enum(['active', 'completed', 'archived']);

/** Who can unblock a stage: a role, or someone related to the project (its delivery manager, an assignee). */
export const WHO_CAN_ACT = [
  'delivery_manager',
  'sales',
  'assignee',
  /** Whoever uploaded the file the reason names (see `file`). */
  'uploader',
  'qa_lead',
  'approver',
  'operator',
  'admin',
  'system',
] as const;
export const whoCanActSchema = z.enum(WHO_CAN_ACT);

/** Why a stage cannot go on, for machines (code) and people (message, who, what to do). */
export const blockedReasonSchema = z.object({
  code: z.string(),
  message: z.string(),
  whoCanAct: z.array(whoCanActSchema),
  /** What unblocks it, e.g. `confirm_sale`, `save_onboarding`, `upload_artifact`, `manual_resume`. */
  action: z.string(),
  /** The uploaded file the stage failed on, when it was one (`action` is then `replace_file`). */
  file: z
    .object({
      id: z.string(),
      kind: z.enum(['artifact', 'test_report']),
      name: z.string(),
      uploadedBy: actorSchema,
    })
    .optional(),
});

/** One stage of a project, in its current generation. */
export const stageStateSchema = z.object({
  status: stageStatusSchema,
  /** 1 for the first run; one more for each re-run after a failure or a send-back. */
  generation: z.number().int().min(1),
  blockedReasons: z.array(blockedReasonSchema),
  /** The gate point the stage waits on while awaiting approval. */
  gatePoint: gatePointSchema.nullable(),
  approvalId: z.string().nullable(),
  jobId: z.string().nullable(),
  /** The job's last error, why it needs a person, or the reviewer's send-back comment. */
  note: z.string().nullable(),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  updatedAt: timestamp.nullable(),
});

/** Every stage by its key. */
export const stagesSchema = z.record(stageSchema, stageStateSchema);

/** An onboarding question, as the template's blueprint asks it. */
export const fieldSpecSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: fieldTypeSchema,
  required: z.boolean(),
  validation: z
    .object({
      pattern: z.string().optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      options: z.array(z.string()).optional(),
    })
    .optional(),
});

/** A file the blueprint asks to be uploaded. */
export const artifactSpecSchema = z.object({
  name: z.string(),
  contentType: z.union([z.string(), z.array(z.string())]),
  maxSizeBytes: z.number().int(),
  required: z.boolean(),
});

/** What the project needs, snapshotted from its template's blueprint; null until it is known. */
export const requirementsSchema = z.object({
  fields: z.array(fieldSpecSchema),
  artifacts: z.array(artifactSpecSchema),
  blueprintRunId: z.string().nullable(),
});

/** An uploaded file (its bytes are at `GET /projects/:id/artifacts/:fileId`). */
export const storedFileSchema = z.object({
  id: z.string(),
  /** `artifact`: an upload the build checks; `test_report`: JUnit XML for the test stage. */
  kind: z.enum(['artifact', 'test_report']),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  sha256: z.string(),
  uploadedBy: actorSchema,
  uploadedAt: timestamp,
});

/** A person assigned to deliver the project, as a list shows them. */
export const assigneeRefSchema = z.object({ id: z.string(), name: z.string() });

export const assigneeSchema = assigneeRefSchema.extend({ assignedBy: actorSchema, assignedAt: timestamp });

/** The whole project: its facts, what it needs, what was given, and every stage. */
export const projectViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  client: z.string(),
  templateId: z.string(),
  templateVersion: z.number().int(),
  deliveryManagerId: z.string().nullable(),
  requireManualReview: z.boolean(),
  status: projectStatusSchema,
  currentStage: stageSchema,
  requirements: requirementsSchema.nullable(),
  sale: z
    .object({ confirmedBy: actorSchema, confirmedAt: timestamp, note: z.string().nullable() })
    .nullable(),
  onboarding: z.object({
    answers: z.record(z.string(), z.unknown()),
    updatedBy: actorSchema.nullable(),
    updatedAt: timestamp.nullable(),
  }),
  assignees: z.array(assigneeSchema),
  files: z.array(storedFileSchema),
  /** What a stage's job produced that later stages use (the test stage's defects). */
  outputs: z.partialRecord(stageSchema, z.unknown()),
  stages: stagesSchema,
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** What a list shows of a project: its facts and where it stands, not its answers or outputs. */
export const projectSummarySchema = projectViewSchema
  .pick({
    id: true,
    name: true,
    client: true,
    templateId: true,
    templateVersion: true,
    deliveryManagerId: true,
    status: true,
    currentStage: true,
    createdAt: true,
    updatedAt: true,
  })
  .extend({
    stageStatus: stageStatusSchema,
    generation: z.number().int().min(1),
    /** The first thing blocking the current stage, or its note. */
    reason: z.string().nullable(),
    assignees: z.array(assigneeRefSchema),
  });

export const projectPageSchema = z.object({
  items: z.array(projectSummarySchema),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
});

/** The board's card and the stepper: every stage, the one awaiting approval, what blocks the current one. */
/**
 * A stage the project has not reached, and what it will need: `ready` when its contract holds
 * already (it waits only for the stages before it), else `pending` with what is missing.
 */
export const stageAheadSchema = z.object({
  stage: stageSchema,
  status: z.enum(['ready', 'pending']),
  needs: z.array(blockedReasonSchema),
});

export const pipelineViewSchema = projectSummarySchema.extend({
  stages: stagesSchema,
  awaitingApprovalStageKey: stageSchema.nullable(),
  blockedReasons: z.array(blockedReasonSchema),
  requiredActions: z.array(blockedReasonSchema.pick({ action: true, whoCanAct: true })),
  /** Every later stage and what it will need, so everything can be in before the project gets there. */
  ahead: z.array(stageAheadSchema),
});

/**
 * One entry of a project's history: a stage transition, or a change of its announced facts
 * (`fact`: a new manager, manual review, archived; `from`/`to` are then the stage's unchanged status).
 */
export const timelineEntrySchema = projectStageChanged.payload.omit({ projectId: true }).extend({
  at: timestamp,
  correlationId: z.string(),
  fact: z.object({ field: z.string(), before: z.unknown(), after: z.unknown() }).optional(),
});

export const timelineSchema = z.object({ items: z.array(timelineEntrySchema) });

/** How far the onboarding answers are (the same count the web app shows before saving). */
export const completenessSchema = z.object({
  required: z.number().int().min(0),
  answered: z.number().int().min(0),
  /** Keys of required fields without a valid, non-empty answer, in field order. */
  missing: z.array(z.string()),
  complete: z.boolean(),
});

/** The onboarding form: null fields and completeness while the blueprint is not known yet. */
export const onboardingViewSchema = z.object({
  fields: z.array(fieldSpecSchema).nullable(),
  answers: z.record(z.string(), z.unknown()),
  updatedBy: actorSchema.nullable(),
  updatedAt: timestamp.nullable(),
  completeness: completenessSchema.nullable(),
});

export const onboardingSavedSchema = onboardingViewSchema.pick({ answers: true, completeness: true });

/** A part of `why` another service owns that could not be had: which service, and why. */
export const unavailablePartSchema = z.object({
  unavailable: z.literal(true),
  service: z.string(),
  reason: z.string(),
});

/** The stage's job as the job-runner answers it: enough to see why it is stuck. */
export const whyJobSchema = jobViewSchema
  .pick({
    id: true,
    kind: true,
    status: true,
    attempts: true,
    maxAttempts: true,
    nextRunAt: true,
    lockedBy: true,
    leaseExpiresAt: true,
  })
  .extend({ lastError: z.string().nullable() });

/** Why the project is where it is, in one answer; a part another service could not give is marked so. */
export const whyViewSchema = z.object({
  projectId: z.string(),
  status: projectStatusSchema,
  stage: stageSchema,
  stageStatus: stageStatusSchema,
  generation: z.number().int().min(1),
  /** One line for people: the stage, its status, and the first reason. */
  summary: z.string(),
  blockedReasons: z.array(blockedReasonSchema),
  note: z.string().nullable(),
  /** The template's blueprint is not known yet: no onboarding questions or artifacts. */
  blueprintMissing: z.boolean(),
  /** The pending approval; null when the stage waits on none. */
  approval: z.union([approvalViewSchema, unavailablePartSchema]).nullable(),
  /** The stage's job; null when it has none. */
  job: z.union([whyJobSchema, unavailablePartSchema]).nullable(),
  /** Every later stage and what it will need (empty once the project is done or archived). */
  ahead: z.array(stageAheadSchema).default([]),
});
