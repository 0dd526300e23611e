import { actorOf } from '@delivery/contracts';
import { completeness } from '@delivery/contracts/onboarding';
import { jobRunnerRoutes, pipelineRoutes as routes } from '@delivery/contracts/routes';
import { serveRoute, UnprocessableError } from '@delivery/service-kit';
import { Router } from 'express';
import { pickAssignee } from '../domain/auto-assignment.js';
import { confirmSale, saveAnswers, setAssignees } from '../domain/fact-changes.js';
import { assignmentChange, defectDecisionsAudit, onboardingChange } from '../domain/named-triggers.js';
import { guarded, refuseUnless } from '../domain/project-access.js';
import type { Trigger } from '../domain/triggers.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { ProjectStore } from '../store/project-store.js';
import type { ServiceClient } from '../upstream/service-client.js';
import { upstreamError } from '../upstream/upstream-errors.js';
import { orRefuse, refusalError } from './refusals.js';

export interface StageRoutesDeps {
  projects: ProjectStore;
  orchestrator: Orchestrator;
  jobRunner: ServiceClient;
  assigneePool: { id: string; name: string }[];
  clock: () => Date;
}

/** What people do to move a project: confirm the sale, answer onboarding, assign, advance, resume. */
export function stageRoutes({
  projects,
  orchestrator,
  jobRunner,
  assigneePool,
  clock,
}: StageRoutesDeps): Router {
  const router = Router();

  serveRoute(router, routes.confirmSale, async ({ params, body, identity, req }) => {
    const actor = actorOf(identity);
    const note = body.note ?? null;
    return {
      body: await orchestrator.run(
        params.id,
        { type: 'sale_confirmed', actor },
        {
          correlationId: req.correlationId,
          change: orRefuse(guarded('manage', identity, (p) => confirmSale(p, actor, note, clock()))),
        },
      ),
    };
  });

  serveRoute(router, routes.getOnboarding, async ({ params }) => {
    const project = await projects.get(params.id);
    const fields = project.requirements?.fields ?? null;
    return {
      body: {
        fields,
        answers: project.onboarding.answers,
        updatedBy: project.onboarding.updatedBy,
        updatedAt: project.onboarding.updatedAt,
        completeness: fields ? completeness(fields, project.onboarding.answers) : null,
      },
    };
  });

  serveRoute(router, routes.saveOnboarding, async ({ params, body: { answers }, identity, req }) => {
    const actor = actorOf(identity);
    const project = await orchestrator.run(
      params.id,
      { type: 'onboarding_saved', actor },
      {
        correlationId: req.correlationId,
        change: orRefuse(guarded('manage', identity, (p) => saveAnswers(p, answers, actor, clock()))),
        refine: (current, changed) => onboardingChange(current, changed, actor),
      },
    );
    return {
      body: {
        answers: project.onboarding.answers,
        completeness: project.requirements
          ? completeness(project.requirements.fields, project.onboarding.answers)
          : null,
      },
    };
  });

  serveRoute(router, routes.setAssignees, async ({ params, body: { assignees }, identity, req }) => {
    const actor = actorOf(identity);
    return {
      body: await orchestrator.run(
        params.id,
        { type: 'assignment_updated', actor },
        {
          correlationId: req.correlationId,
          change: orRefuse(guarded('manage', identity, (p) => setAssignees(p, assignees, actor, clock()))),
          refine: (current, changed) => assignmentChange(current, changed, actor),
        },
      ),
    };
  });

  serveRoute(router, routes.autoAssign, async ({ params, identity, req }) => {
    const actor = actorOf(identity);
    const picked = pickAssignee(assigneePool, await projects.assignmentLoad(), null);
    if (!picked) throw new UnprocessableError('no one to assign: AUTO_ASSIGN_POOL is empty', { pool: [] });
    return {
      body: await orchestrator.run(
        params.id,
        { type: 'auto_assignment', actor },
        {
          correlationId: req.correlationId,
          change: orRefuse(guarded('manage', identity, (p) => setAssignees(p, [picked], actor, clock()))),
        },
      ),
    };
  });

  serveRoute(router, routes.advance, async ({ params, identity, req }) => ({
    body: await orchestrator.run(
      params.id,
      { type: 'manual_advance', actor: actorOf(identity) },
      { correlationId: req.correlationId, change: orRefuse(guarded('move', identity, (p) => p)) },
    ),
  }));

  serveRoute(router, routes.resume, async ({ params, body: { input }, identity, req }) => {
    const actor = actorOf(identity);
    const project = await projects.get(params.id);
    // Checked before the job-runner is asked, so that a refused person resumes nothing there.
    // Input to the waiting defect validation job is a defect decision: the QA leads' rule, not a mover's.
    const action = input && project.currentStage === '5_defect_validation' ? 'decideDefects' : 'move';
    const refusal = refuseUnless(action, identity, project);
    if (refusal) throw refusalError(refusal);
    const stage = project.stages[project.currentStage];
    // A job waiting for a person is resumed by the job-runner first, so that input it refuses
    // (422 with its paths) changes nothing here.
    if (stage.status === 'needs_human' && stage.jobId) {
      await jobRunner
        .call(jobRunnerRoutes.resume, { params: { id: stage.jobId }, body: { input: input ?? {} } })
        .catch((error: unknown) => {
          throw upstreamError('job-runner', error);
        });
    }
    // Defect decisions are their own trigger (as through POST /defect-decisions), not a resume.
    const trigger: Trigger =
      action === 'decideDefects' && input
        ? { type: 'defects_decided', actor, input }
        : { type: 'manual_resume', actor, input };
    return {
      body: await orchestrator.run(params.id, trigger, {
        correlationId: req.correlationId,
        change: orRefuse(guarded(action, identity, (p) => p)),
        // Recorded as the person's decision even if the job reported back first.
        audit:
          trigger.type === 'defects_decided' && isRecord(trigger.input.decisions)
            ? defectDecisionsAudit(trigger.input.decisions)
            : undefined,
      }),
    };
  });

  return router;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
