import { ROLES } from '@delivery/contracts';
import { completeness } from '@delivery/contracts/onboarding';
import { identityOf, requireRole, UnprocessableError } from '@delivery/service-kit';
import { Router } from 'express';
import { pickAssignee } from '../domain/auto-assignment.js';
import { confirmSale, saveAnswers, setAssignees } from '../domain/fact-changes.js';
import { guarded, refuseUnless } from '../domain/project-access.js';
import { actorOf } from '../identity.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { ProjectStore } from '../store/project-store.js';
import type { ServiceClient } from '../upstream/service-client.js';
import { upstreamError } from '../upstream/upstream-errors.js';
import { orRefuse, refusalError } from './refusals.js';
import { assignmentBody, confirmSaleBody, onboardingBody, projectParams, resumeBody } from './schemas.js';

export interface StageRoutesDeps {
  projects: ProjectStore;
  orchestrator: Orchestrator;
  jobRunner: ServiceClient;
  assigneePool: { id: string; name: string }[];
  clock: () => Date;
}

const managers = requireRole(ROLES.admin, ROLES.deliveryManager);
const movers = requireRole(ROLES.admin, ROLES.deliveryManager, ROLES.operator);

/** What people do to move a project: confirm the sale, answer onboarding, assign, advance, resume. */
export function stageRoutes({
  projects,
  orchestrator,
  jobRunner,
  assigneePool,
  clock,
}: StageRoutesDeps): Router {
  const router = Router();
  const id = (params: unknown) => projectParams.parse(params).id;

  router.post('/projects/:id/sale', managers, async (req, res) => {
    const projectId = id(req.params);
    const { note } = confirmSaleBody.parse(req.body ?? {});
    const identity = identityOf(req);
    const actor = actorOf(identity);
    res.json(
      await orchestrator.run(
        projectId,
        { type: 'sale_confirmed', actor },
        {
          correlationId: req.correlationId,
          change: orRefuse(guarded('manage', identity, (p) => confirmSale(p, actor, note ?? null, clock()))),
        },
      ),
    );
  });

  router.get('/projects/:id/onboarding', async (req, res) => {
    const project = await projects.get(id(req.params));
    const fields = project.requirements?.fields ?? null;
    res.json({
      fields,
      answers: project.onboarding.answers,
      updatedBy: project.onboarding.updatedBy,
      updatedAt: project.onboarding.updatedAt,
      completeness: fields ? completeness(fields, project.onboarding.answers) : null,
    });
  });

  router.put('/projects/:id/onboarding', managers, async (req, res) => {
    const projectId = id(req.params);
    const { answers } = onboardingBody.parse(req.body);
    const identity = identityOf(req);
    const actor = actorOf(identity);
    const project = await orchestrator.run(
      projectId,
      { type: 'onboarding_saved', actor },
      {
        correlationId: req.correlationId,
        change: orRefuse(guarded('manage', identity, (p) => saveAnswers(p, answers, actor, clock()))),
      },
    );
    res.json({
      answers: project.onboarding.answers,
      completeness: project.requirements
        ? completeness(project.requirements.fields, project.onboarding.answers)
        : null,
    });
  });

  router.put('/projects/:id/assignment', managers, async (req, res) => {
    const projectId = id(req.params);
    const { assignees } = assignmentBody.parse(req.body);
    const identity = identityOf(req);
    const actor = actorOf(identity);
    res.json(
      await orchestrator.run(
        projectId,
        { type: 'assignment_updated', actor },
        {
          correlationId: req.correlationId,
          change: orRefuse(guarded('manage', identity, (p) => setAssignees(p, assignees, actor, clock()))),
        },
      ),
    );
  });

  router.post('/projects/:id/assignment/auto', managers, async (req, res) => {
    const projectId = id(req.params);
    const identity = identityOf(req);
    const actor = actorOf(identity);
    const picked = pickAssignee(assigneePool, await projects.assignmentLoad(), null);
    if (!picked) throw new UnprocessableError('no one to assign: AUTO_ASSIGN_POOL is empty', { pool: [] });
    res.json(
      await orchestrator.run(
        projectId,
        { type: 'auto_assignment', actor },
        {
          correlationId: req.correlationId,
          change: orRefuse(guarded('manage', identity, (p) => setAssignees(p, [picked], actor, clock()))),
        },
      ),
    );
  });

  router.post('/projects/:id/advance', movers, async (req, res) => {
    const identity = identityOf(req);
    res.json(
      await orchestrator.run(
        id(req.params),
        { type: 'manual_advance', actor: actorOf(identity) },
        { correlationId: req.correlationId, change: orRefuse(guarded('move', identity, (p) => p)) },
      ),
    );
  });

  router.post('/projects/:id/resume', movers, async (req, res) => {
    const projectId = id(req.params);
    const { input } = resumeBody.parse(req.body ?? {});
    const identity = identityOf(req);
    const actor = actorOf(identity);
    const project = await projects.get(projectId);
    // Checked before the job-runner is asked, so that a refused person resumes nothing there.
    const refusal = refuseUnless('move', identity, project);
    if (refusal) throw refusalError(refusal);
    const stage = project.stages[project.currentStage];
    // A job waiting for a person is resumed by the job-runner first, so that input it refuses
    // (422 with its paths) changes nothing here.
    if (stage.status === 'needs_human' && stage.jobId) {
      await jobRunner
        .post(`/jobs/${encodeURIComponent(stage.jobId)}/resume`, { input: input ?? {} })
        .catch((error: unknown) => {
          throw upstreamError('job-runner', error);
        });
    }
    res.json(
      await orchestrator.run(
        projectId,
        { type: 'manual_resume', actor, input },
        { correlationId: req.correlationId, change: orRefuse(guarded('move', identity, (p) => p)) },
      ),
    );
  });

  return router;
}
