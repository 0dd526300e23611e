import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { gatewayRoutes } from '@delivery/contracts/routes';
import { serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import type { OpenApiDocument } from './build-document.js';
import { DOCS_ASSETS, DOCS_ASSETS_PATH, DOCS_HTML, DOCS_SCRIPT, DOCS_SCRIPT_PATH } from './docs-page.js';

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

  serveRoute(router, gatewayRoutes.openApiDocument, ({ res }) => {
    res.type('application/json').send(json);
    return undefined;
  });
  serveRoute(router, gatewayRoutes.docsPage, ({ res }) => {
    res.type('html').send(DOCS_HTML);
    return undefined;
  });
  // The page's own files: not API routes, so no contract (and not in the document).
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
