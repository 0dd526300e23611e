import { type Request, type Response, Router } from 'express';
import { createTemplateSchema, updateTemplateSchema } from '../domain/template.js';
import { InvalidTemplateCursorError, type TemplateStore, toTemplateView } from '../store/template-store.js';
import { invalidCursor } from './cursor-error.js';
import { listTemplatesQuery, templateIdParams, versionParams } from './schemas.js';

/** Template CRUD and versions. Parse with zod, call the store; errors map in service-kit. */
export function templateRoutes(templates: TemplateStore): Router {
  const router = Router();
  const id = (req: Request) => templateIdParams.parse(req.params).id;

  router.post('/api/templates', async (req, res) => {
    res.status(201).json(await templates.create(createTemplateSchema.parse(req.body)));
  });

  router.get('/api/templates', async (req, res) => {
    const { search, limit, cursor } = listTemplatesQuery.parse(req.query);
    try {
      res.json(await templates.list(search, limit, cursor));
    } catch (error) {
      if (error instanceof InvalidTemplateCursorError) throw invalidCursor(cursor);
      throw error;
    }
  });

  router.get('/api/templates/:id', async (req, res) => {
    const template = await templates.get(id(req));
    res.json({ ...toTemplateView(template), content: template.content });
  });

  const update = async (req: Request, res: Response) => {
    res.json(await templates.update(id(req), updateTemplateSchema.parse(req.body)));
  };
  router.put('/api/templates/:id', update);
  router.patch('/api/templates/:id', update);

  router.post('/api/templates/:id/publish', async (req, res) => {
    res.json(await templates.publish(id(req)));
  });

  router.post('/api/templates/:id/archive', async (req, res) => {
    res.json(await templates.archive(id(req)));
  });

  router.get('/api/templates/:id/versions/:version', async (req, res) => {
    const { id: templateId, version } = versionParams.parse(req.params);
    res.json(await templates.getVersion(templateId, version));
  });

  return router;
}
