import { templateBlueprintRoutes as routes } from '@delivery/contracts/routes';
import { serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { InvalidTemplateCursorError, type TemplateStore, toTemplateView } from '../store/template-store.js';
import { invalidCursor } from './cursor-error.js';

/**
 * Template CRUD and versions, served from their contracts (which parse the input and hold the
 * roles: any verified caller reads, admins write); errors map in service-kit.
 */
export function templateRoutes(templates: TemplateStore): Router {
  const router = Router();

  serveRoute(router, routes.createTemplate, async ({ body }) => ({
    status: 201,
    body: await templates.create(body),
  }));

  serveRoute(router, routes.listTemplates, async ({ query: { search, limit, cursor } }) => {
    try {
      return { body: await templates.list(search, limit, cursor) };
    } catch (error) {
      if (error instanceof InvalidTemplateCursorError) throw invalidCursor(cursor);
      throw error;
    }
  });

  serveRoute(router, routes.getTemplate, async ({ params }) => {
    const template = await templates.get(params.id);
    return { body: { ...toTemplateView(template), content: template.content } };
  });

  for (const route of [routes.updateTemplate, routes.patchTemplate]) {
    serveRoute(router, route, async ({ params, body }) => ({
      body: await templates.update(params.id, body),
    }));
  }

  serveRoute(router, routes.publish, async ({ params }) => ({ body: await templates.publish(params.id) }));

  serveRoute(router, routes.archive, async ({ params }) => ({ body: await templates.archive(params.id) }));

  serveRoute(router, routes.getVersion, async ({ params }) => ({
    body: await templates.getVersion(params.id, params.version),
  }));

  return router;
}
