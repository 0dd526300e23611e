import { ROLES } from '@delivery/contracts';
import { ForbiddenError, identityOf, requireRole } from '@delivery/service-kit';
import { Router } from 'express';
import { actorOf } from '../domain/approval.js';
import { mayChangeOverrides, mayLoosenOverrides } from '../domain/gate-config-change.js';
import { gateApplies, resolveGate } from '../domain/gate-resolution.js';
import type { GateConfigStore } from '../store/gate-config-store.js';
import type { ProjectFactsStore } from '../store/project-facts-store.js';
import { OverrideLoosensGateError } from './override-loosens-gate-error.js';
import { globalConfigBody, overridesBody, projectParams, resolveQuery } from './schemas.js';

export interface GateConfigRoutesDeps {
  configs: GateConfigStore;
  projects: ProjectFactsStore;
}

/** Global gate config (admins), project overrides (admins, the project's manager), and why a gate is what it is. */
export function gateConfigRoutes({ configs, projects }: GateConfigRoutesDeps): Router {
  const router = Router();

  router.get('/gates/config', async (_req, res) => {
    res.json(await configs.getGlobal());
  });

  router.put('/gates/config', requireRole(ROLES.admin), async (req, res) => {
    const { stages, expectedRevision } = globalConfigBody.parse(req.body);
    res.json(await configs.setGlobal(stages, actorOf(identityOf(req)), expectedRevision));
  });

  router.get('/gates/config/audit', async (_req, res) => {
    res.json({ items: (await configs.globalAudit()).toReversed() });
  });

  router.get('/projects/:projectId/gate-overrides', async (req, res) => {
    res.json(await configs.getOverrides(projectParams.parse(req.params).projectId));
  });

  router.put('/projects/:projectId/gate-overrides', async (req, res) => {
    const { projectId } = projectParams.parse(req.params);
    const person = identityOf(req);
    const project = await projects.get(projectId);
    if (!mayChangeOverrides(person, project)) {
      throw new ForbiddenError(
        "changing a project's gates needs the admin role or being its delivery manager",
        {
          requiredRoles: [ROLES.admin, ROLES.deliveryManager],
          deliveryManagerId: project?.deliveryManagerId ?? null,
        },
      );
    }
    const { stages, expectedRevision } = overridesBody.parse(req.body);
    const outcome = await configs.setOverrides(
      projectId,
      stages,
      { project, mayLoosen: mayLoosenOverrides(person) },
      actorOf(person),
      expectedRevision,
    );
    if ('refused' in outcome) throw new OverrideLoosensGateError(outcome.fields);
    res.json(outcome);
  });

  router.get('/gates/resolve', async (req, res) => {
    const { projectId, stage } = resolveQuery.parse(req.query);
    const [global, overrides, project] = await Promise.all([
      configs.getGlobal(),
      configs.getOverrides(projectId),
      projects.get(projectId),
    ]);
    const resolved = resolveGate(global.stages, overrides.stages, project, stage, overrides.adminFields);
    res.json({
      projectId,
      ...resolved,
      asks: { before: gateApplies(resolved.gate, 'before'), after: gateApplies(resolved.gate, 'after') },
      project: project ?? null,
    });
  });

  return router;
}
