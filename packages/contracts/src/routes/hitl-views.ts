import { z } from 'zod';
import {
  approvalStatusSchema,
  auditActionSchema,
  gateConfigSchema,
  gatePointSchema,
  gateRuleSchema,
  responsiblePersonSchema,
} from '../hitl.js';
import { actorSchema } from '../identity.js';
import { projectFactsSchema } from '../projects.js';
import { stageSchema } from '../stages.js';

/** What hitl's routes answer, as JSON on the wire (dates as ISO strings). */

const instant = z.iso.datetime();

/** A page of a list, newest first; `nextCursor` fetches the next one, null on the last. */
const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const approvalVoteSchema = z.object({ by: actorSchema, at: instant, comment: z.string().nullable() });

/** One request for approval of one stage generation at one gate point. */
export const approvalViewSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  stage: stageSchema,
  generation: z.number().int(),
  point: gatePointSchema,
  /** 1 for the first request of this generation and point; one more for each re-request after expiry. */
  attempt: z.number().int(),
  status: approvalStatusSchema,
  /** The gate as it was resolved when asked: later config changes do not move the goalposts. */
  gate: gateConfigSchema,
  decidedBy: gateRuleSchema,
  requestedBy: actorSchema,
  /** With `requestedBy`, the people who may not approve it unless the gate allows self-approval. */
  responsiblePeople: z.array(responsiblePersonSchema),
  /** What the asker attached; the pipeline sends `projectName` and `client`. */
  context: z.record(z.string(), z.unknown()),
  votes: z.array(approvalVoteSchema),
  sentBack: z.object({ by: actorSchema, at: instant, comment: z.string() }).nullable(),
  requestedAt: instant,
  expiresAt: instant,
  closedAt: instant.nullable(),
  /** The expired approval this one asks again for. */
  previousApprovalId: z.string().nullable(),
  supersededByGeneration: z.number().int().nullable(),
});
export type ApprovalView = z.infer<typeof approvalViewSchema>;

/** One immutable record of who did what, when, to what. */
export const auditRecordSchema = z.object({
  id: z.string(),
  at: instant,
  action: auditActionSchema,
  actor: actorSchema,
  projectId: z.string().nullable(),
  stage: stageSchema.nullable(),
  approvalId: z.string().nullable(),
  comment: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  /** Of a project's gate override change: the fields (`<stage>.<field>`) it loosened, admins' alone. */
  loosened: z.array(z.string()).optional(),
});
export type AuditRecordView = z.infer<typeof auditRecordSchema>;

/** Whether the caller may decide an approval, and if not why: what a page shows beside the buttons. */
export const approvalCallerRightsSchema = z.object({
  approve: z.boolean(),
  sendBack: z.boolean(),
  why: z.string().nullable(),
});

export const approvalDetailSchema = approvalViewSchema.extend({
  /** Oldest record first. */
  audit: z.array(auditRecordSchema),
  caller: approvalCallerRightsSchema,
});

export const approvalInboxSchema = pageOf(approvalViewSchema);
export const projectApprovalsSchema = z.object({ items: z.array(approvalViewSchema) });
export const projectAuditSchema = pageOf(auditRecordSchema);
export const gateConfigAuditSchema = z.object({ items: z.array(auditRecordSchema) });

/** The admins' gate per stage; a stage left out needs no approval. */
export const globalGateConfigSchema = z.partialRecord(stageSchema, gateConfigSchema);
/** A project's changes to any fields of any stage's gate. */
export const gateOverridesSchema = z.partialRecord(stageSchema, gateConfigSchema.partial());

const configView = <S extends z.ZodType>(stages: S) =>
  z.object({
    stages,
    /** Pass it back as `expectedRevision` to change only what you read; 0 before the first change. */
    revision: z.number().int().min(0),
    updatedAt: instant.nullable(),
    /** Of a project's overrides: the fields (`<stage>.<field>`) an admin set, which may loosen its gates. */
    adminFields: z.array(z.string()),
  });

export const globalGateConfigViewSchema = configView(globalGateConfigSchema);
export const gateOverridesViewSchema = configView(gateOverridesSchema);

/** One rule considered in resolving a gate, in the order they apply. */
export const gateLayerSchema = z.object({
  rule: gateRuleSchema,
  applied: z.boolean(),
  /** The fields this layer set, when it applied. */
  fields: z.array(gateConfigSchema.keyof()),
  why: z.string(),
});

/** What hitl knows of a project, from the pipeline's project events. */
export const gateProjectFactsSchema = projectFactsSchema
  .pick({ requireManualReview: true, deliveryManagerId: true, status: true })
  .extend({
    /** Null while hitl knows the project only from an evaluate command. */
    name: z.string().nullable(),
  });

export const gateResolutionSchema = z.object({
  projectId: z.string(),
  stage: stageSchema,
  gate: gateConfigSchema,
  decidedBy: gateRuleSchema,
  layers: z.array(gateLayerSchema),
  /** Whether the gate asks for an approval before the stage, and after it. */
  asks: z.object({ before: z.boolean(), after: z.boolean() }),
  /** Null when hitl has not heard of the project yet. */
  project: gateProjectFactsSchema.nullable(),
});
export type GateResolution = z.infer<typeof gateResolutionSchema>;
