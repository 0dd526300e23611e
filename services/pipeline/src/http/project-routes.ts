import { ROLES } from '@delivery/contracts';
import { identityOf, requireRole } from '@delivery/service-kit';
import { Router } from 'express';
import { archive, unarchive } from '../domain/fact-changes.js';
import { changeManagement } from '../domain/management.js';
import { guarded, managerOfNewProject } from '../domain/project-access.js';
import { actorOf } from '../identity.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { ProjectStore } from '../store/project-store.js';
import { summaryOf } from '../store/project-store.js';
import type { Templates } from '../upstream/templates.js';
import { orRefuse, refusalError } from './refusals.js';
import { createProjectBody, listProjectsQuery, managementBody, projectParams } from './schemas.js';

export interface ProjectRoutesDeps {
  projects: ProjectStore;
  orchestrator: Orchestrator;
  templates: Templates;
}

const managers = requireRole(ROLES.admin, ROLES.deliveryManager);

/** Projects: create from a published template, list, read, the pipeline view, the timeline, archive. */
export function projectRoutes({ projects, orchestrator, templates }: ProjectRoutesDeps): Router {
  const router = Router();

  router.post('/projects', managers, async (req, res) => {
    const input = createProjectBody.parse(req.body);
    const identity = identityOf(req);
    const manager = managerOfNewProject(identity, input.deliveryManagerId);
    if ('refused' in manager) throw refusalError(manager);
    const templateVersion = await templates.publishedVersion(input.templateId);
    // Snapshotted now: later template versions do not change what this project needs. Without a
    // blueprint yet the project waits at onboarding and picks it up when the run succeeds.
    const requirements = (await templates.requirements(input.templateId, templateVersion)) ?? null;
    const created = await projects.create(
      { ...input, ...manager, templateVersion, requirements },
      req.correlationId,
    );
    const project = await orchestrator.run(
      created.id,
      { type: 'project_created', actor: actorOf(identity) },
      { correlationId: req.correlationId },
    );
    res.status(201).json(project);
  });

  router.get('/projects', async (req, res) => {
    const { limit, cursor, ...filter } = listProjectsQuery.parse(req.query);
    res.json(await projects.list(filter, limit, cursor));
  });

  router.get('/projects/:id', async (req, res) => {
    res.json(await projects.get(projectParams.parse(req.params).id));
  });

  /** Every stage's state, the stage awaiting approval, and what blocks it (the board's card and the stepper). */
  router.get('/projects/:id/pipeline', async (req, res) => {
    const project = await projects.get(projectParams.parse(req.params).id);
    const awaiting = Object.entries(project.stages).find(([, state]) => state.status === 'awaiting_approval');
    res.json({
      ...summaryOf(project),
      stages: project.stages,
      awaitingApprovalStageKey: awaiting?.[0] ?? null,
      blockedReasons: project.stages[project.currentStage].blockedReasons,
      requiredActions: project.stages[project.currentStage].blockedReasons.map(({ action, whoCanAct }) => ({
        action,
        whoCanAct,
      })),
    });
  });

  router.get('/projects/:id/timeline', async (req, res) => {
    res.json({ items: await projects.timeline(projectParams.parse(req.params).id) });
  });

  /** Hands the project to another manager, or changes whether its automated stages need a review. */
  router.put('/projects/:id/management', managers, async (req, res) => {
    const { id } = projectParams.parse(req.params);
    const change = managementBody.parse(req.body);
    const identity = identityOf(req);
    res.json(
      await orchestrator.run(
        id,
        { type: 'management_changed', actor: actorOf(identity) },
        {
          correlationId: req.correlationId,
          change: orRefuse((project) => changeManagement(project, identity, change)),
        },
      ),
    );
  });

  router.post('/projects/:id/archive', managers, async (req, res) => {
    const { id } = projectParams.parse(req.params);
    const identity = identityOf(req);
    res.json(
      await orchestrator.run(
        id,
        { type: 'archived', actor: actorOf(identity) },
        { correlationId: req.correlationId, change: orRefuse(guarded('manage', identity, archive)) },
      ),
    );
  });

  router.post('/projects/:id/unarchive', managers, async (req, res) => {
    const { id } = projectParams.parse(req.params);
    const identity = identityOf(req);
    res.json(
      await orchestrator.run(
        id,
        { type: 'unarchived', actor: actorOf(identity) },
        { correlationId: req.correlationId, change: orRefuse(guarded('manage', identity, unarchive)) },
      ),
    );
  });

  return router;
}
