import { actorOf } from '@delivery/contracts';
import { jobRunnerRoutes, pipelineRoutes as routes } from '@delivery/contracts/routes';
import { serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { defectDecisionTarget } from '../domain/defect-decisions.js';
import { defectDecisionsAudit } from '../domain/named-triggers.js';
import { guarded, refuseUnless } from '../domain/project-access.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { ProjectStore } from '../store/project-store.js';
import type { ServiceClient } from '../upstream/service-client.js';
import { upstreamError } from '../upstream/upstream-errors.js';
import { orRefuse, refusalError } from './refusals.js';

export interface DefectRoutesDeps {
  projects: Pick<ProjectStore, 'get'>;
  orchestrator: Pick<Orchestrator, 'run'>;
  jobRunner: ServiceClient;
}

/**
 * `POST /projects/:id/defect-decisions`: a QA lead (or the project's manager, or an admin: one
 * rule, project-access) confirms or rejects the defects the test stage found. The waiting job is
 * resumed at the job-runner first, so input it refuses changes nothing here; then the stage runs
 * again, recorded as the person's `defects_decided`.
 */
export function defectRoutes({ projects, orchestrator, jobRunner }: DefectRoutesDeps): Router {
  const router = Router();

  serveRoute(router, routes.decideDefects, async ({ params, body: { decisions }, identity, req }) => {
    const project = await projects.get(params.id);
    const refusal = refuseUnless('decideDefects', identity, project);
    if (refusal) throw refusalError(refusal);
    const target = defectDecisionTarget(project, decisions);
    if ('refused' in target) throw refusalError(target);
    const input = { decisions };
    await jobRunner
      .call(jobRunnerRoutes.resume, { params: { id: target.jobId }, body: { input } })
      .catch((error: unknown) => {
        throw upstreamError('job-runner', error);
      });
    return {
      body: await orchestrator.run(
        params.id,
        { type: 'defects_decided', actor: actorOf(identity), input },
        {
          correlationId: req.correlationId,
          change: orRefuse(guarded('decideDefects', identity, (p) => p)),
          audit: defectDecisionsAudit(decisions),
        },
      ),
    };
  });

  return router;
}
