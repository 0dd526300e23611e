import { ROLES } from '@delivery/contracts';
import { NotFoundError, requireRole, UnprocessableError } from '@delivery/service-kit';
import { type Request, type Response, Router } from 'express';
import type { GeneratorName } from '../generators/generator.js';
import { InvalidRunCursorError, type RunStore } from '../store/run-store.js';
import { defaultVersion, type TemplateStore, versionOf } from '../store/template-store.js';
import { BlueprintStaleError } from './blueprint-stale-error.js';
import { invalidCursor } from './cursor-error.js';
import { blueprintQuery, generateRequest, pageQuery, runIdParams, templateIdParams } from './schemas.js';

export interface BlueprintRoutesDeps {
  runs: RunStore;
  templates: TemplateStore;
  /** Generators the workers have; requesting another is a 422. */
  generators: readonly GeneratorName[];
  maxAttempts: number;
}

/** Who may start a generation: admins, the managers who run projects, and services (pipeline). */
const mayGenerate = requireRole(ROLES.admin, ROLES.deliveryManager, ROLES.service);
/** Stopping someone's run is an operation on the platform. */
const runCancelers = requireRole(ROLES.admin, ROLES.operator);

/**
 * The blueprint routes of the old system, same paths and meaning, plus the blueprint itself.
 * Any verified caller reads.
 */
export function blueprintRoutes({ runs, templates, generators, maxAttempts }: BlueprintRoutesDeps): Router {
  const router = Router();
  const templateId = (req: Request) => templateIdParams.parse(req.params).id;

  const generate = async (req: Request, res: Response) => {
    const id = templateId(req);
    const request = generateRequest.parse({ ...req.query, ...(req.body ?? {}) });
    if (!generators.includes(request.generator)) {
      throw new UnprocessableError(`generator "${request.generator}" is not configured`, {
        available: generators,
      });
    }
    const { run, created } = await runs.request(id, { ...request, maxAttempts }, req.correlationId);
    // 202: accepted, a worker will execute it; 200: the run already queued or running.
    res.status(created ? 202 : 200).json(run);
  };
  router.post('/api/templates/:id/blueprint/generate', mayGenerate, generate);
  // Legacy path of the old system, kept for old clients: the same behaviour.
  router.post('/api/templates/:id/generate-blueprint', mayGenerate, generate);

  // `blueprint` is the default version's current blueprint; `blueprintStale` says one was
  // generated but from content the version no longer has (regenerate to get a current one).
  router.get('/api/templates/:id/blueprint/status', async (req, res) => {
    const id = templateId(req);
    const template = await templates.get(id);
    const latestRun = await runs.latest(id);
    const version = defaultVersion(template);
    const content = versionOf(template, version);
    const found = content ? await runs.blueprintOf(id, content) : ({ state: 'none' } as const);
    res.json({
      templateId: id,
      templateVersion: template.version,
      status: latestRun?.status ?? 'none',
      latestRun: latestRun ?? null,
      blueprint: found.state === 'current' ? { templateVersion: version, runId: found.runId } : null,
      blueprintStale: found.state === 'stale',
    });
  });

  router.get('/api/templates/:id/blueprint/runs', async (req, res) => {
    const { limit, cursor } = pageQuery.parse(req.query);
    try {
      res.json(await runs.list(templateId(req), limit, cursor));
    } catch (error) {
      if (error instanceof InvalidRunCursorError) throw invalidCursor(cursor);
      throw error;
    }
  });

  router.get('/api/templates/:id/blueprint-job', async (req, res) => {
    const id = templateId(req);
    const active = await runs.active(id);
    if (!active) throw new NotFoundError(`template ${id} has no queued or running blueprint run`, { id });
    res.json(active);
  });

  // What other services read: the blueprint of a version (default: the latest published
  // version, else the current draft), only if generated from the content the version has now.
  router.get('/api/templates/:id/blueprint', async (req, res) => {
    const id = templateId(req);
    const asked = blueprintQuery.parse(req.query).version;
    const template = await templates.get(id);
    const version = asked ?? defaultVersion(template);
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
    res.json({ templateId: id, templateVersion: version, runId: found.runId, blueprint: found.blueprint });
  });

  router.post('/api/blueprint-runs/:runId/cancel', runCancelers, async (req, res) => {
    res.json(await runs.cancel(runIdParams.parse(req.params).runId));
  });

  router.get('/api/blueprint-runs/:runId', async (req, res) => {
    res.json(await runs.get(runIdParams.parse(req.params).runId));
  });

  return router;
}
