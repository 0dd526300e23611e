import { identityOf } from '@delivery/service-kit';
import { Router } from 'express';
import { approvalRefusalFor, approve, refusalFor, sendBack } from '../domain/approval.js';
import { decideApproval } from '../store/approval-decisions.js';
import type { ApprovalStore } from '../store/approval-store.js';
import { refusalError } from './refusal-error.js';
import {
  approvalParams,
  approveBody,
  inboxQuery,
  projectApprovalsQuery,
  projectParams,
  sendBackBody,
} from './schemas.js';

export interface ApprovalRoutesDeps {
  approvals: ApprovalStore;
  clock: () => Date;
}

/** The approvals inbox, an approval's detail, and the two decisions people make on it. */
export function approvalRoutes({ approvals, clock }: ApprovalRoutesDeps): Router {
  const router = Router();

  router.get('/approvals', async (req, res) => {
    const { limit, cursor, ...filter } = inboxQuery.parse(req.query);
    res.json(await approvals.inbox(identityOf(req), filter, clock(), limit, cursor));
  });

  router.get('/approvals/:id', async (req, res) => {
    const { approval, audit } = await approvals.withAudit(approvalParams.parse(req.params).id);
    const person = identityOf(req);
    const now = clock();
    // Whether the caller may decide it, and if not why: what a page shows beside the buttons.
    const approveRefusal = approvalRefusalFor(approval, person, now);
    const sendBackRefusal = refusalFor(approval, person, now);
    const mayDecide = {
      approve: approveRefusal === undefined,
      sendBack: sendBackRefusal === undefined,
      why: (approveRefusal ?? sendBackRefusal)?.message ?? null,
    };
    res.json({ ...approval, audit, caller: mayDecide });
  });

  router.post('/approvals/:id/approve', async (req, res) => {
    const { id } = approvalParams.parse(req.params);
    const { comment } = approveBody.parse(req.body ?? {});
    const person = identityOf(req);
    const decided = await decideApproval(approvals, id, clock, (approval, now) =>
      approve(approval, person, comment || null, now),
    );
    if ('refusal' in decided) throw refusalError(decided.refusal, decided.approval);
    res.json(decided.approval);
  });

  router.post('/approvals/:id/send-back', async (req, res) => {
    const { id } = approvalParams.parse(req.params);
    const { comment } = sendBackBody.parse(req.body ?? {});
    const person = identityOf(req);
    const decided = await decideApproval(approvals, id, clock, (approval, now) =>
      sendBack(approval, person, comment, now),
    );
    if ('refusal' in decided) throw refusalError(decided.refusal, decided.approval);
    res.json(decided.approval);
  });

  router.get('/projects/:projectId/approvals', async (req, res) => {
    const { projectId } = projectParams.parse(req.params);
    const { stage, status } = projectApprovalsQuery.parse(req.query);
    const found = await approvals.ofProject(projectId);
    res.json({
      items: found.filter(
        (approval) => (!stage || approval.stage === stage) && (!status || approval.status === status),
      ),
    });
  });

  return router;
}
