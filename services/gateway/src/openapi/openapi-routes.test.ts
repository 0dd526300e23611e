import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { buildOpenApiDocument } from './build-document.js';
import { openApiRoutes } from './openapi-routes.js';

const document = buildOpenApiDocument();
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(openApiRoutes(document));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Every `src` and `href` of a page, as written. */
const referencesOf = (html: string) =>
  [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1] as string);

const isLocal = (url: string) => url.startsWith('/') && !url.startsWith('//');

test('GET /api/openapi.json answers the document', async () => {
  const response = await fetch(`${base}/api/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
});

test('the document describes its own routes as public', async () => {
  const served = (await (await fetch(`${base}/api/openapi.json`)).json()) as typeof document;
  expect(served.paths['/api/openapi.json']?.get?.security).toEqual([]);
  expect(served.paths['/api/docs']?.get?.security).toEqual([]);
});

test('GET /api/docs is a page whose every script, style and icon is served here', async () => {
  const response = await fetch(`${base}/api/docs`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await response.text();
  const references = referencesOf(html);
  expect(references.length).toBeGreaterThanOrEqual(4);
  expect(references.filter((url) => !isLocal(url))).toEqual([]);
  expect(html).not.toMatch(/https?:\/\//);
  // No inline script: a `script-src 'self'` content security policy allows the page as it is.
  expect([...html.matchAll(/<script\b[^>]*>([^<]*)<\/script>/g)].map((match) => match[1])).toEqual(['', '']);
  for (const url of references) {
    const asset = await fetch(`${base}${url}`);
    expect({ url, status: asset.status }).toEqual({ url, status: 200 });
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
  }
});

test('Swagger UI is the copy in node_modules, byte for byte', async () => {
  const local = createRequire(import.meta.url).resolve('swagger-ui-dist/swagger-ui-bundle.js');
  const response = await fetch(`${base}/api/docs/assets/swagger-ui-bundle.js`);
  expect(response.headers.get('content-type')).toMatch(/javascript/);
  expect(Buffer.from(await response.arrayBuffer()).equals(await readFile(local))).toBe(true);
});

test('the start script loads the document from here and nothing from anywhere else', async () => {
  const response = await fetch(`${base}/api/docs/init.js`);
  expect(response.headers.get('content-type')).toMatch(/javascript/);
  const script = await response.text();
  expect(script).toContain('url: "/api/openapi.json"');
  // Swagger UI's default validator badge is an image from validator.swagger.io.
  expect(script).toContain('validatorUrl: null');
  expect(script).not.toMatch(/https?:|["']\/\//);
});

test.each([
  '/api/docs/assets/index.html',
  '/api/docs/assets/swagger-initializer.js',
  '/api/docs/assets/package.json',
  '/api/docs/assets/..%2Fpackage.json',
  '/api/docs/assets/%2e%2e%2f%2e%2e%2fpackage.json',
])('%s: only the files the page uses are served', async (path) => {
  expect((await fetch(`${base}${path}`)).status).toBe(404);
});
