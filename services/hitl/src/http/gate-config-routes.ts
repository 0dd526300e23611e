import { actorOf } from '@delivery/contracts';
import { hitlRoutes as routes } from '@delivery/contracts/routes';
import { ForbiddenError, serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { mayChangeOverrides, mayLoosenOverrides } from '../domain/gate-config-change.js';
import { gateApplies, resolveGate } from '../domain/gate-resolution.js';
import type { GateConfigStore } from '../store/gate-config-store.js';
import type { ProjectFactsStore } from '../store/project-facts-store.js';
import { OverrideLoosensGateError } from './override-loosens-gate-error.js';

export interface GateConfigRoutesDeps {
  configs: GateConfigStore;
  projects: ProjectFactsStore;
}

/** Global gate config (admins), project overrides (admins, the project's manager), and why a gate is what it is. */
export function gateConfigRoutes({ configs, projects }: GateConfigRoutesDeps): Router {
  const router = Router();

  serveRoute(router, routes.getGlobalGateConfig, async () => ({ body: await configs.getGlobal() }));

  serveRoute(
    router,
    routes.setGlobalGateConfig,
    async ({ body: { stages, expectedRevision }, identity }) => ({
      body: await configs.setGlobal(stages, actorOf(identity), expectedRevision),
    }),
  );

  serveRoute(router, routes.globalGateConfigAudit, async () => ({
    body: { items: (await configs.globalAudit()).toReversed() },
  }));

  serveRoute(router, routes.getGateOverrides, async ({ params }) => ({
    body: await configs.getOverrides(params.projectId),
  }));

  serveRoute(router, routes.setGateOverrides, async ({ params: { projectId }, body, identity }) => {
    const project = await projects.get(projectId);
    // The contract's roles let in every delivery manager; this is the one whose project it is.
    if (!mayChangeOverrides(identity, project)) {
      throw new ForbiddenError(
        "changing a project's gates needs the admin role or being its delivery manager",
        { deliveryManagerId: project?.deliveryManagerId ?? null },
      );
    }
    const outcome = await configs.setOverrides(
      projectId,
      body.stages,
      { project, mayLoosen: mayLoosenOverrides(identity) },
      actorOf(identity),
      body.expectedRevision,
    );
    if ('refused' in outcome) throw new OverrideLoosensGateError(outcome.fields);
    return { body: outcome };
  });

  serveRoute(router, routes.resolveGate, async ({ query: { projectId, stage } }) => {
    const [global, overrides, project] = await Promise.all([
      configs.getGlobal(),
      configs.getOverrides(projectId),
      projects.get(projectId),
    ]);
    const resolved = resolveGate(global.stages, overrides.stages, project, stage, overrides.adminFields);
    return {
      body: {
        projectId,
        ...resolved,
        asks: { before: gateApplies(resolved.gate, 'before'), after: gateApplies(resolved.gate, 'after') },
        // What the gate was resolved with, not the stored document (its _id, sequence, dates).
        project: project
          ? {
              name: project.name ?? null,
              requireManualReview: project.requireManualReview,
              deliveryManagerId: project.deliveryManagerId,
              status: project.status,
            }
          : null,
      },
    };
  });

  return router;
}
