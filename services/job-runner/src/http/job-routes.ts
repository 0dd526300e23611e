import { jobRunnerRoutes as routes } from '@delivery/contracts/routes';
import { serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { z } from 'zod';
import type { JobModel } from '../store/job-model.js';
import { jobStats } from '../store/job-stats.js';
import { InvalidCursorError, type JobStore } from '../store/job-store.js';

export interface JobRoutesDeps {
  store: JobStore;
  model: JobModel;
}

/**
 * Thin routes, served from their contracts (which parse the input and hold the roles: any
 * verified caller reads, operators and services change): call the store, shape the answer.
 * Errors map in service-kit.
 */
export function jobRoutes({ store, model }: JobRoutesDeps): Router {
  const router = Router();

  serveRoute(router, routes.enqueue, async ({ body, identity: { kind, id, name }, req }) => {
    const { job, created } = await store.enqueue(body, req.correlationId, { kind, id, name });
    return { status: created ? 201 : 200, body: job };
  });

  serveRoute(router, routes.listJobs, async ({ query: { limit, cursor, ...filter } }) => {
    try {
      return { body: await store.list(filter, limit, cursor) };
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      throw new z.ZodError([
        { code: 'custom', path: ['cursor'], message: 'not a cursor from this API', input: cursor },
      ]);
    }
  });

  serveRoute(router, routes.stats, async () => ({ body: await jobStats(model, new Date()) }));

  serveRoute(router, routes.getJob, async ({ params }) => ({ body: await store.get(params.id) }));

  serveRoute(router, routes.cancel, async ({ params }) => {
    const { job, immediate } = await store.cancel(params.id);
    // 202: the worker was asked to stop; the job turns CANCELED when it does.
    return { status: immediate ? 200 : 202, body: job };
  });

  serveRoute(router, routes.retry, async ({ params }) => ({ body: await store.retry(params.id) }));

  serveRoute(router, routes.resume, async ({ params, body }) => ({
    body: await store.resume(params.id, body.input),
  }));

  return router;
}
