import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { labelRoute } from '@delivery/service-kit';
import express, { type RequestHandler } from 'express';

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');
/** The probes and metrics are the gateway's own (service-kit answers them): never a page, built or not. */
const isProbe = (path: string) => /^\/(healthz|readyz|metrics)\/?$/i.test(path);

/** The route label of everything the web app answers (pages and assets alike). */
export const WEB_APP_ROUTE = 'web-app';
/** What the web app leaves to the routes after it: other methods, the API and the probes. */
const notForTheApp = (method: string, path: string) =>
  (method !== 'GET' && method !== 'HEAD') || isApi(path) || isProbe(path);

/**
 * The web app at `/`: its hashed assets (cached for good), and index.html for every other page
 * path (the app routes in the browser, so a shared link to a project opens that project). Only
 * GET and HEAD outside /api and the probes; anything else goes on to the API.
 */
export function webApp(distDir: string): RequestHandler {
  if (!existsSync(join(distDir, 'index.html'))) {
    return (req, res, next) => {
      if (notForTheApp(req.method, req.path)) return next();
      labelRoute(res, WEB_APP_ROUTE);
      res
        .status(503)
        .type('text')
        .send('The web app is not built yet: run `npm run build -w @delivery/web` (npm start does).');
    };
  }
  const assets = express.static(distDir, { index: false, immutable: true, maxAge: '365d' });
  return (req, res, next) => {
    if (notForTheApp(req.method, req.path)) return next();
    labelRoute(res, WEB_APP_ROUTE);
    assets(req, res, () => {
      res.sendFile('index.html', { root: distDir, headers: { 'cache-control': 'no-cache' } });
    });
  };
}
