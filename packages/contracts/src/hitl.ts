import { z } from 'zod';
import { defineCommand, defineEvent } from './define-message.js';
import { actorSchema, roleSchema } from './identity.js';
import { RESPONSIBILITIES } from './responsibilities.js';
import { stageSchema } from './stages.js';

/** `before`: approval to start the stage. `after`: review of its output before the project moves on. */
export const GATE_POINTS = ['before', 'after'] as const;
export const gatePointSchema = z.enum(GATE_POINTS);
export type GatePoint = z.infer<typeof gatePointSchema>;

/** One stage's gate: whether it is required, where it sits, who approves, how many, for how long. */
export const gateConfigSchema = z.object({
  required: z.boolean(),
  point: gatePointSchema,
  approverRoles: z.array(roleSchema).min(1).max(20),
  /** Distinct people who must approve before it is granted. */
  approvalsNeeded: z.number().int().min(1).max(20),
  /** A pending approval expires this long after it was requested (up to 90 days). */
  expiresAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(90 * 24 * 60),
  /** Whether the person who asked may approve their own request (GitHub's "prevent self-review" is the default). */
  allowSelfApproval: z.boolean(),
});
export type GateConfig = z.infer<typeof gateConfigSchema>;

/**
 * The rules that decide a stage's gate, weakest first; the strongest one that applied decided it
 * (what an approval and a gate's resolution say it was decided by).
 */
export const GATE_RULES = ['default', 'global', 'manual_review', 'project_override'] as const;
export const gateRuleSchema = z.enum(GATE_RULES);
export type GateRule = z.infer<typeof gateRuleSchema>;

export const APPROVAL_STATUSES = [
  'pending',
  'granted',
  'sent_back',
  'expired',
  'superseded',
  'withdrawn',
] as const;
export const approvalStatusSchema = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

/** What hitl's audit records record: approvals' lives, and changes to the gates. */
export const AUDIT_ACTIONS = [
  'approval.requested',
  'approval.approved',
  'approval.granted',
  'approval.sent_back',
  'approval.expired',
  'approval.superseded',
  'approval.withdrawn',
  'gate_config.changed',
  'gate_override.changed',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** What approvers see beside the request: bounded, free-form facts the asker chose to show. */
export const approvalContextSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((context) => JSON.stringify(context).length <= 16_384, 'must be at most 16 KiB as JSON')
  .default({});

export {
  RESPONSIBILITIES,
  RESPONSIBILITY_LABELS,
  type Responsibility,
} from './responsibilities.js';

export const responsibilitySchema = z.enum(RESPONSIBILITIES);

/**
 * A person whose work a gate reviews. Unless the gate allows self-approval they may not approve
 * it (they may send it back). Always a person: a service acting on its own is nobody's work.
 */
export const responsiblePersonSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  reasons: z.array(responsibilitySchema).min(1).max(RESPONSIBILITIES.length),
});
export type ResponsiblePerson = z.infer<typeof responsiblePersonSchema>;

/** Ask whether a stage generation may pass a gate point. Sent by the pipeline. */
export const evaluateGateCommand = defineCommand({
  queue: 'hitl.gate.evaluate',
  version: 1,
  payload: z.object({
    projectId: z.string().min(1).max(200),
    stage: stageSchema,
    generation: z.number().int().min(1),
    point: gatePointSchema,
    /** The person (or service) whose action led to the request. */
    requestedBy: actorSchema,
    /** The people whose work the gate reviews (a command from before this field: nobody but `requestedBy`). */
    responsiblePeople: z.array(responsiblePersonSchema).max(1_000).default([]),
    context: approvalContextSchema,
    /** The project's facts as the asker knows them now (see projectFactsSchema). */
    project: z.object({
      requireManualReview: z.boolean(),
      deliveryManagerId: z.string().min(1).max(200).nullable().default(null),
    }),
  }),
});

const gateRef = z.object({
  projectId: z.string(),
  stage: stageSchema,
  generation: z.number().int().min(1),
  point: gatePointSchema,
});

const approvalRef = gateRef.extend({ approvalId: z.string() });

const hitlEvent = <S extends z.ZodType>(entity: string, event: string, payload: S) =>
  defineEvent({ service: 'hitl', entity, event, version: 1, payload });

export const hitlEvents = {
  /** The stage generation may go on: no approval needed, or one was granted already. */
  gatePassed: hitlEvent(
    'gate',
    'passed',
    gateRef.extend({
      reason: z.enum(['not_required', 'already_granted']),
      approvalId: z.string().nullable(),
    }),
  ),
  requested: hitlEvent(
    'approval',
    'requested',
    approvalRef.extend({
      approverRoles: z.array(z.string()),
      approvalsNeeded: z.number().int(),
      expiresAt: z.string(),
      requestedBy: actorSchema,
      /** The expired approval this one asks again for, if any. */
      previousApprovalId: z.string().nullable(),
    }),
  ),
  /** One person approved; the approval is not yet granted (fewer than N so far). */
  voteRecorded: hitlEvent(
    'approval',
    'vote_recorded',
    approvalRef.extend({ by: actorSchema, approvals: z.number().int(), approvalsNeeded: z.number().int() }),
  ),
  granted: hitlEvent('approval', 'granted', approvalRef.extend({ approvers: z.array(actorSchema) })),
  sentBack: hitlEvent('approval', 'sent_back', approvalRef.extend({ by: actorSchema, comment: z.string() })),
  expired: hitlEvent('approval', 'expired', approvalRef.extend({ expiresAt: z.string() })),
  /** A newer generation of the stage was evaluated while this one was still open. */
  superseded: hitlEvent('approval', 'superseded', approvalRef.extend({ byGeneration: z.number().int() })),
  /** The project was archived while the approval was open: nobody can decide it any more. */
  withdrawn: hitlEvent('approval', 'withdrawn', approvalRef.extend({ reason: z.enum(['project_archived']) })),
};

export type EvaluateGateInput = z.input<typeof evaluateGateCommand.payload>;
