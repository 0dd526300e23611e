import { hitlRoutes as routes } from '@delivery/contracts/routes';
import { encodeCursor, serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { auditPageStart } from '../domain/audit-page.js';
import type { ApprovalStore } from '../store/approval-store.js';
import type { GateConfigStore } from '../store/gate-config-store.js';

/** A project's whole audit trail: its approvals' lives and its gate override changes, newest first. */
export function auditRoutes(approvals: ApprovalStore, configs: GateConfigStore): Router {
  const router = Router();

  serveRoute(router, routes.projectAudit, async ({ params: { projectId }, query: { limit, cursor } }) => {
    const [ofApprovals, ofOverrides] = await Promise.all([
      approvals.auditOfProject(projectId),
      configs.overridesAudit(projectId),
    ]);
    // Oldest first within each source, reversed, then a stable sort by time: records of the same
    // instant (an approval's last vote and its grant) keep their order, newest first.
    const newestFirst = [...ofApprovals, ...ofOverrides]
      .toReversed()
      .sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
    const start = auditPageStart(newestFirst, cursor);
    const items = newestFirst.slice(start, start + limit);
    const last = items.at(-1);
    return {
      body: {
        items,
        nextCursor:
          newestFirst.length > start + limit && last
            ? encodeCursor({ createdAt: new Date(last.at), id: last.id })
            : null,
      },
    };
  });

  return router;
}
