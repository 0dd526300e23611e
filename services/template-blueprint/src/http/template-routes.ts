import { ROLES } from '@delivery/contracts';
import { requireRole } from '@delivery/service-kit';
import { type Request, type Response, Router } from 'express';
import { createTemplateSchema, updateTemplateSchema } from '../domain/template.js';
import { InvalidTemplateCursorError, type TemplateStore, toTemplateView } from '../store/template-store.js';
import { invalidCursor } from './cursor-error.js';
import { listTemplatesQuery, templateIdParams, versionParams } from './schemas.js';

/** Templates shape every project made from them: only admins write them. */
const templateWriters = requireRole(ROLES.admin);

/**
 * Template CRUD and versions. Parse with zod, call the store; errors map in service-kit. Any
 * verified caller reads; writes need `templateWriters`.
 */
export function templateRoutes(templates: TemplateStore): Router {
  const router = Router();
  const id = (req: Request) => templateIdParams.parse(req.params).id;

  router.post('/api/templates', templateWriters, async (req, res) => {
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
  router.put('/api/templates/:id', templateWriters, update);
  router.patch('/api/templates/:id', templateWriters, update);

  router.post('/api/templates/:id/publish', templateWriters, async (req, res) => {
    res.json(await templates.publish(id(req)));
  });

  router.post('/api/templates/:id/archive', templateWriters, async (req, res) => {
    res.json(await templates.archive(id(req)));
  });

  router.get('/api/templates/:id/versions/:version', async (req, res) => {
    const { id: templateId, version } = versionParams.parse(req.params);
    res.json(await templates.getVersion(templateId, version));
  });

  return router;
}
