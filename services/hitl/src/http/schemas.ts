import { gateConfigSchema, roleSchema, stageSchema } from '@delivery/contracts';
import { cursorParam } from '@delivery/service-kit';
import { z } from 'zod';

const projectId = z.string().min(1).max(200);

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: cursorParam.optional(),
};

export const approvalParams = z.object({ id: z.uuid() });
export const projectParams = z.object({ projectId });

export const inboxQuery = z.object({
  projectId: projectId.optional(),
  stage: stageSchema.optional(),
  role: roleSchema.optional(),
  ...page,
});

export const projectApprovalsQuery = z.object({
  stage: stageSchema.optional(),
  status: z.enum(['pending', 'granted', 'sent_back', 'expired', 'superseded']).optional(),
});

export const auditQuery = z.object(page);

const comment = z.string().trim().max(2_000);

export const approveBody = z.strictObject({ comment: comment.optional() });
/** Sending back asks for rework, so it must say what to change. */
export const sendBackBody = z.strictObject({ comment: comment.min(1, 'say what needs rework') });

const expectedRevision = z.number().int().min(0).optional();

export const globalConfigBody = z.strictObject({
  stages: z.partialRecord(stageSchema, z.strictObject(gateConfigSchema.shape)),
  expectedRevision,
});

export const overridesBody = z.strictObject({
  /** Per stage: the fields to override, or null to drop the stage's override. */
  stages: z.partialRecord(stageSchema, z.strictObject(gateConfigSchema.shape).partial().nullable()),
  expectedRevision,
});

export const resolveQuery = z.object({ projectId, stage: stageSchema });
