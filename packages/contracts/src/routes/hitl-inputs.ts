import { z } from 'zod';
import { gateConfigSchema } from '../hitl.js';
import { cursorParam } from '../http/cursor.js';
import { roleSchema } from '../identity.js';
import { stageSchema } from '../stages.js';

/** What hitl's routes parse: path parameters, query strings and bodies. */

const projectId = z.string().min(1).max(200);

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: cursorParam.optional(),
};

export const approvalIdParams = z.object({ id: z.uuid() });
export const projectIdParams = z.object({ projectId });

export const approvalInboxQuery = z.object({
  projectId: projectId.optional(),
  stage: stageSchema.optional(),
  /** Only approvals this one of the caller's roles may decide. */
  role: roleSchema.optional(),
  ...page,
});

export const projectApprovalsQuery = z.object({
  stage: stageSchema.optional(),
  status: z.enum(['pending', 'granted', 'sent_back', 'expired', 'superseded']).optional(),
});

export const projectAuditQuery = z.object(page);

const comment = z.string().trim().max(2_000);

export const approveBody = z.strictObject({ comment: comment.optional() });
/** Sending back asks for rework, so it must say what to change. */
export const sendBackBody = z.strictObject({ comment: comment.min(1, 'say what needs rework') });

/** Give the revision you read to change only what you read (409 when someone changed it since). */
const expectedRevision = z.number().int().min(0).optional();

export const globalGateConfigBody = z.strictObject({
  stages: z.partialRecord(stageSchema, z.strictObject(gateConfigSchema.shape)),
  expectedRevision,
});

export const gateOverridesBody = z.strictObject({
  /** Per stage: the fields to override, or null to drop the stage's override. */
  stages: z.partialRecord(stageSchema, z.strictObject(gateConfigSchema.shape).partial().nullable()),
  expectedRevision,
});

export const gateResolveQuery = z.object({ projectId, stage: stageSchema });
