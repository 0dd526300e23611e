import { enqueueJobSchema, ROLES } from '@delivery/contracts';
import { identityOf, requireRole } from '@delivery/service-kit';
import { type Request, Router } from 'express';
import { z } from 'zod';
import type { JobModel } from '../store/job-model.js';
import { jobStats } from '../store/job-stats.js';
import { InvalidCursorError, type JobStore } from '../store/job-store.js';
import { jobIdParams, listJobsQuery, resumeJobBody } from './job-schemas.js';

export interface JobRoutesDeps {
  store: JobStore;
  model: JobModel;
}

/** Who may change jobs: operators, and the services that run projects (pipeline enqueues, resumes). */
const jobChangers = requireRole(ROLES.admin, ROLES.operator, ROLES.service);

/**
 * Thin routes: parse with zod, call the store, shape the response. Errors map in service-kit.
 * Reads are open to any verified caller; changes need `jobChangers`.
 */
export function jobRoutes({ store, model }: JobRoutesDeps): Router {
  const router = Router();
  const id = (req: Request) => jobIdParams.parse(req.params).id;

  router.post('/jobs', jobChangers, async (req, res) => {
    const input = enqueueJobSchema.parse(req.body);
    const { kind, id, name } = identityOf(req);
    const { job, created } = await store.enqueue(input, req.correlationId, { kind, id, name });
    res.status(created ? 201 : 200).json(job);
  });

  router.get('/jobs', async (req, res) => {
    const { limit, cursor, ...filter } = listJobsQuery.parse(req.query);
    try {
      res.json(await store.list(filter, limit, cursor));
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      throw new z.ZodError([
        { code: 'custom', path: ['cursor'], message: 'not a cursor from this API', input: cursor },
      ]);
    }
  });

  router.get('/jobs/stats', async (_req, res) => {
    res.json(await jobStats(model, new Date()));
  });

  router.get('/jobs/:id', async (req, res) => {
    res.json(await store.get(id(req)));
  });

  router.post('/jobs/:id/cancel', jobChangers, async (req, res) => {
    const { job, immediate } = await store.cancel(id(req));
    // 202: the worker was asked to stop; the job turns CANCELED when it does.
    res.status(immediate ? 200 : 202).json(job);
  });

  router.post('/jobs/:id/retry', jobChangers, async (req, res) => {
    res.json(await store.retry(id(req)));
  });

  router.post('/jobs/:id/resume', jobChangers, async (req, res) => {
    const { input } = resumeJobBody.parse(req.body ?? {});
    res.json(await store.resume(id(req), input));
  });

  return router;
}
