import { actorOf } from '@delivery/contracts';
import { pipelineRoutes as routes } from '@delivery/contracts/routes';
import { cursorParam, serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { z } from 'zod';
import { archive, unarchive } from '../domain/fact-changes.js';
import { changeManagement } from '../domain/management.js';
import { guarded, managerOfNewProject } from '../domain/project-access.js';
import { stagesAhead } from '../domain/stages-ahead.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { ProjectStore } from '../store/project-store.js';
import { summaryOf } from '../store/project-store.js';
import type { Templates } from '../upstream/templates.js';
import { orRefuse, refusalError } from './refusals.js';

export interface ProjectRoutesDeps {
  projects: ProjectStore;
  orchestrator: Orchestrator;
  templates: Templates;
}

// The contract takes the cursor as the text it answered; only this service can read it (a
// cursor it did not write is bad input, named by its path).
const listCursor = z.object({ cursor: cursorParam.optional() });

/** Projects: create from a published template, list, read, the pipeline view, the timeline, archive. */
export function projectRoutes({ projects, orchestrator, templates }: ProjectRoutesDeps): Router {
  const router = Router();

  serveRoute(router, routes.createProject, async ({ body, identity, req }) => {
    const manager = managerOfNewProject(identity, body.deliveryManagerId);
    if ('refused' in manager) throw refusalError(manager);
    const templateVersion = await templates.publishedVersion(body.templateId);
    // Snapshotted now: later template versions do not change what this project needs. Without a
    // blueprint yet the project waits at onboarding and picks it up when the run succeeds.
    const requirements = (await templates.requirements(body.templateId, templateVersion)) ?? null;
    const created = await projects.create(
      { ...body, ...manager, templateVersion, requirements },
      req.correlationId,
    );
    const project = await orchestrator.run(
      created.id,
      { type: 'project_created', actor: actorOf(identity) },
      { correlationId: req.correlationId },
    );
    return { status: 201, body: project };
  });

  serveRoute(router, routes.listProjects, async ({ query }) => {
    const { limit, cursor, ...filter } = query;
    return { body: await projects.list(filter, limit, listCursor.parse({ cursor }).cursor) };
  });

  serveRoute(router, routes.getProject, async ({ params }) => ({ body: await projects.get(params.id) }));

  /** Every stage's state, the stage awaiting approval, and what blocks it (the board's card and the stepper). */
  serveRoute(router, routes.getPipeline, async ({ params }) => {
    const project = await projects.get(params.id);
    const awaiting = Object.entries(project.stages).find(([, state]) => state.status === 'awaiting_approval');
    const blockedReasons = project.stages[project.currentStage].blockedReasons;
    return {
      body: {
        ...summaryOf(project),
        stages: project.stages,
        awaitingApprovalStageKey: awaiting?.[0] ?? null,
        blockedReasons,
        requiredActions: blockedReasons.map(({ action, whoCanAct }) => ({ action, whoCanAct })),
        ahead: stagesAhead(project),
      },
    };
  });

  serveRoute(router, routes.getTimeline, async ({ params }) => ({
    body: { items: await projects.timeline(params.id) },
  }));

  /** Hands the project to another manager, or changes whether its automated stages need a review. */
  serveRoute(router, routes.changeManagement, async ({ params, body, identity, req }) => ({
    body: await orchestrator.run(
      params.id,
      { type: 'management_changed', actor: actorOf(identity) },
      {
        correlationId: req.correlationId,
        change: orRefuse((project) => changeManagement(project, identity, body)),
      },
    ),
  }));

  serveRoute(router, routes.archive, async ({ params, identity, req }) => ({
    body: await orchestrator.run(
      params.id,
      { type: 'archived', actor: actorOf(identity) },
      { correlationId: req.correlationId, change: orRefuse(guarded('manage', identity, archive)) },
    ),
  }));

  serveRoute(router, routes.unarchive, async ({ params, identity, req }) => ({
    body: await orchestrator.run(
      params.id,
      { type: 'unarchived', actor: actorOf(identity) },
      { correlationId: req.correlationId, change: orRefuse(guarded('manage', identity, unarchive)) },
    ),
  }));

  return router;
}
