import type { Stage } from '@delivery/contracts';
import type { ApprovalModel } from './approval-model.js';

export interface PendingApprovals {
  stage: Stage;
  count: number;
  oldestRequestedAt: Date;
  firstExpiresAt: Date;
}

/** Pending approvals by stage: one aggregation over pending ones only (the {status, expiresAt} index). */
export async function readPendingApprovals(model: ApprovalModel): Promise<PendingApprovals[]> {
  const groups = await model.aggregate<{
    _id: Stage;
    count: number;
    oldestRequestedAt: Date;
    firstExpiresAt: Date;
  }>([
    { $match: { status: 'pending' } },
    {
      $group: {
        _id: '$stage',
        count: { $sum: 1 },
        oldestRequestedAt: { $min: '$requestedAt' },
        firstExpiresAt: { $min: '$expiresAt' },
      },
    },
  ]);
  return groups.map((group) => ({
    stage: group._id,
    count: group.count,
    oldestRequestedAt: new Date(group.oldestRequestedAt),
    firstExpiresAt: new Date(group.firstExpiresAt),
  }));
}
