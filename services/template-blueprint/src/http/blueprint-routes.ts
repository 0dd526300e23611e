import { templateBlueprintRoutes as routes } from '@delivery/contracts/routes';
import { NotFoundError, serveRoute, UnprocessableError } from '@delivery/service-kit';
import { Router } from 'express';
import type { GeneratorName } from '../generators/generator.js';
import { InvalidRunCursorError, type RunStore } from '../store/run-store.js';
import { defaultVersion, type TemplateStore, versionOf } from '../store/template-store.js';
import { BlueprintStaleError } from './blueprint-stale-error.js';
import { invalidCursor } from './cursor-error.js';

export interface BlueprintRoutesDeps {
  runs: RunStore;
  templates: TemplateStore;
  /** Generators the workers have; requesting another is a 422. */
  generators: readonly GeneratorName[];
  maxAttempts: number;
}

/**
 * The blueprint routes of the old system, same paths and meaning, plus the blueprint itself,
 * served from their contracts (which parse the input and hold the roles).
 */
export function blueprintRoutes({ runs, templates, generators, maxAttempts }: BlueprintRoutesDeps): Router {
  const router = Router();

  // The legacy path is the old system's, kept for old clients: the same behaviour.
  for (const route of [routes.generate, routes.generateLegacy]) {
    serveRoute(router, route, async ({ params, query, body, req }) => {
      // Old clients sent `?force=true`: the query counts too, the body wins key by key.
      const generator = body.generator ?? query.generator ?? 'rules';
      const force = body.force ?? query.force ?? false;
      if (!generators.includes(generator)) {
        throw new UnprocessableError(`generator "${generator}" is not configured`, { available: generators });
      }
      const { run, created } = await runs.request(
        params.id,
        { generator, force, maxAttempts },
        req.correlationId,
      );
      // 202: accepted, a worker will execute it; 200: the run already queued or running.
      return { status: created ? 202 : 200, body: run };
    });
  }

  // `blueprint` is the default version's current blueprint; `blueprintStale` says one was
  // generated but from content the version no longer has (regenerate to get a current one).
  serveRoute(router, routes.blueprintStatus, async ({ params: { id } }) => {
    const template = await templates.get(id);
    const latestRun = await runs.latest(id);
    const version = defaultVersion(template);
    const content = versionOf(template, version);
    const found = content ? await runs.blueprintOf(id, content) : ({ state: 'none' } as const);
    return {
      body: {
        templateId: id,
        templateVersion: template.version,
        status: latestRun?.status ?? 'none',
        latestRun: latestRun ?? null,
        blueprint: found.state === 'current' ? { templateVersion: version, runId: found.runId } : null,
        blueprintStale: found.state === 'stale',
      },
    };
  });

  serveRoute(router, routes.listRuns, async ({ params, query: { limit, cursor } }) => {
    try {
      return { body: await runs.list(params.id, limit, cursor) };
    } catch (error) {
      if (error instanceof InvalidRunCursorError) throw invalidCursor(cursor);
      throw error;
    }
  });

  serveRoute(router, routes.activeRun, async ({ params: { id } }) => {
    const active = await runs.active(id);
    if (!active) throw new NotFoundError(`template ${id} has no queued or running blueprint run`, { id });
    return { body: active };
  });

  // What other services read: the blueprint of a version (default: the latest published
  // version, else the current draft), only if generated from the content the version has now.
  serveRoute(router, routes.getBlueprint, async ({ params: { id }, query }) => {
    const template = await templates.get(id);
    const version = query.version ?? defaultVersion(template);
    const content = versionOf(template, version);
    if (!content) throw new NotFoundError(`template ${id} has no version ${version}`, { id, version });
    const found = await runs.blueprintOf(id, content);
    if (found.state === 'stale') {
      throw new BlueprintStaleError(
        `the blueprint of template ${id} version ${version} was generated before the version's content changed; generate it again`,
        { id, version, staleRunId: found.runId },
      );
    }
    if (found.state === 'none')
      throw new NotFoundError(`template ${id} version ${version} has no blueprint yet`, { id, version });
    return {
      body: { templateId: id, templateVersion: version, runId: found.runId, blueprint: found.blueprint },
    };
  });

  serveRoute(router, routes.cancelRun, async ({ params }) => ({ body: await runs.cancel(params.runId) }));

  serveRoute(router, routes.getRun, async ({ params }) => ({ body: await runs.get(params.runId) }));

  return router;
}
