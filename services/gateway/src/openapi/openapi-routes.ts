import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { RouteSpec } from '@delivery/contracts';
import { Router } from 'express';
import type { OpenApiDocument } from './build-document.js';
import {
  DOCS_ASSETS,
  DOCS_ASSETS_PATH,
  DOCS_HTML,
  DOCS_PATH,
  DOCS_SCRIPT,
  DOCS_SCRIPT_PATH,
  DOCUMENT_PATH,
} from './docs-page.js';

/** swagger-ui-dist's files, from node_modules: the page loads nothing from anywhere else. */
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const servedAssets = new Set<string>(DOCS_ASSETS);

/**
 * `GET /api/openapi.json` (the document) and the docs page at `GET /api/docs` with its script and
 * assets. Both need no identity: mount it where the gateway's public routes are.
 */
export function openApiRoutes(document: OpenApiDocument): Router {
  const router = Router();
  // The document does not change while the process runs: written once.
  const json = JSON.stringify(document);

  router.get(DOCUMENT_PATH, (_req, res) => {
    res.type('application/json').send(json);
  });
  router.get(DOCS_PATH, (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
  router.get(DOCS_SCRIPT_PATH, (_req, res) => {
    res.type('text/javascript').send(DOCS_SCRIPT);
  });
  router.get(`${DOCS_ASSETS_PATH}/:file`, (req, res, next) => {
    if (!servedAssets.has(req.params.file)) {
      next();
      return;
    }
    res.sendFile(req.params.file, { root: swaggerUiDir, maxAge: '1h' });
  });
  return router;
}

/** These routes, for the gateway's own part of the document. */
export const openApiRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: DOCUMENT_PATH,
    summary: 'This document: OpenAPI 3.1, generated from the schemas the services validate with',
    public: true,
    responses: { 200: 'the document' },
  },
  {
    method: 'GET',
    path: DOCS_PATH,
    summary: 'The API docs page (Swagger UI), served with its assets by the gateway itself',
    public: true,
    responses: { 200: 'an HTML page' },
  },
];
