import { hitlRoutes as routes } from '@delivery/contracts/routes';
import { serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { approvalRefusalFor, approve, refusalFor, sendBack } from '../domain/approval.js';
import { decideApproval } from '../store/approval-decisions.js';
import type { ApprovalStore } from '../store/approval-store.js';
import { refusalError } from './refusal-error.js';

export interface ApprovalRoutesDeps {
  approvals: ApprovalStore;
  clock: () => Date;
}

/** The approvals inbox, an approval's detail, and the two decisions people make on it. */
export function approvalRoutes({ approvals, clock }: ApprovalRoutesDeps): Router {
  const router = Router();

  serveRoute(router, routes.listApprovals, async ({ query, identity }) => {
    const { limit, cursor, ...filter } = query;
    return { body: await approvals.inbox(identity, filter, clock(), limit, cursor) };
  });

  serveRoute(router, routes.getApproval, async ({ params, identity }) => {
    const { approval, audit } = await approvals.withAudit(params.id);
    const now = clock();
    // Whether the caller may decide it, and if not why: what a page shows beside the buttons.
    const approveRefusal = approvalRefusalFor(approval, identity, now);
    const sendBackRefusal = refusalFor(approval, identity, now);
    const caller = {
      approve: approveRefusal === undefined,
      sendBack: sendBackRefusal === undefined,
      why: (approveRefusal ?? sendBackRefusal)?.message ?? null,
    };
    return { body: { ...approval, audit, caller } };
  });

  serveRoute(router, routes.approve, async ({ params, body, identity }) => {
    const decided = await decideApproval(approvals, params.id, clock, (approval, now) =>
      approve(approval, identity, body.comment || null, now),
    );
    if ('refusal' in decided) throw refusalError(decided.refusal, decided.approval);
    return { body: decided.approval };
  });

  serveRoute(router, routes.sendBack, async ({ params, body, identity }) => {
    const decided = await decideApproval(approvals, params.id, clock, (approval, now) =>
      sendBack(approval, identity, body.comment, now),
    );
    if ('refusal' in decided) throw refusalError(decided.refusal, decided.approval);
    return { body: decided.approval };
  });

  serveRoute(router, routes.listProjectApprovals, async ({ params, query: { stage, status } }) => {
    const found = await approvals.ofProject(params.projectId);
    return {
      body: {
        items: found.filter(
          (approval) => (!stage || approval.stage === stage) && (!status || approval.status === status),
        ),
      },
    };
  });

  return router;
}
