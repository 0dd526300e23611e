import { deleteOlderThan, type RetentionRule, retentionCutoff } from '@delivery/service-kit';
import type { Model } from 'mongoose';
import type { ApprovalModel } from './approval-model.js';
import type { GateConfigModel, GateOverridesModel } from './config-models.js';
import type { EvaluationModel } from './evaluation-model.js';

export interface HitlRetentionModels {
  approvals: ApprovalModel;
  gateConfig: GateConfigModel;
  gateOverrides: GateOverridesModel;
  evaluations: EvaluationModel;
}

/**
 * What hitl forgets. Audit records older than `auditDays` are taken out of the approvals and the
 * gate configs they are kept on (the approvals and configs themselves are state, and stay).
 * Gate evaluations older than `evaluationDays` are deleted once their outbox is relayed: they
 * only explain a past decision and catch a redelivered evaluate command, which comes within
 * minutes, not days. 0 keeps either forever.
 */
export function hitlRetention(
  models: HitlRetentionModels,
  days: { auditDays: number; evaluationDays: number },
): RetentionRule[] {
  return [
    trimAudit('approval audit', days.auditDays, models.approvals),
    trimAudit('gate config audit', days.auditDays, models.gateConfig),
    trimAudit('gate override audit', days.auditDays, models.gateOverrides),
    deleteOlderThan('gate evaluations', days.evaluationDays, models.evaluations, (cutoff) => ({
      evaluatedAt: { $lt: cutoff },
      'outbox.0': { $exists: false },
    })),
  ];
}

/**
 * Pulls the audit records older than the cutoff out of up to `limit` documents; returns how
 * many documents it trimmed. `$pull` is atomic beside the `$push` of a concurrent change, so a
 * record appended meanwhile stays.
 */
function trimAudit(
  name: string,
  days: number,
  model: ApprovalModel | GateConfigModel | GateOverridesModel,
): RetentionRule {
  // Only `_id` and `audit`, which every one of these has, are read and written.
  const untyped = model as unknown as Model<{ _id: string; audit: { at: Date }[] }>;
  return {
    name,
    keeps: days > 0 ? `${days} days` : 'forever',
    cutoff: (now) => retentionCutoff(now, days),
    async sweep(cutoff, limit) {
      const aged = { audit: { $elemMatch: { at: { $lt: cutoff } } } };
      const found = await untyped.find(aged, { _id: 1 }).limit(limit).lean<{ _id: string }[]>();
      if (found.length === 0) return 0;
      const { modifiedCount } = await untyped.updateMany(
        { _id: { $in: found.map((document) => document._id) } },
        { $pull: { audit: { at: { $lt: cutoff } } } },
      );
      return modifiedCount;
    },
  };
}
