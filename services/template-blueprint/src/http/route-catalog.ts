import { jsonBody, ROLES, type RouteSpec } from '@delivery/contracts';
import { deadLetterRouteSpecs } from '@delivery/service-kit';
import { createTemplateSchema, updateTemplateSchema } from '../domain/template.js';
import {
  blueprintQuery,
  generateRequest,
  listTemplatesQuery,
  pageQuery,
  runIdParams,
  templateIdParams,
  versionParams,
} from './schemas.js';

/** Templates shape every project made from them: only admins write them. */
const TEMPLATE_WRITERS = [ROLES.admin];
/** Admins, the managers who run projects, and services (the pipeline). */
const GENERATORS = [ROLES.admin, ROLES.deliveryManager, ROLES.service];
const RUN_CANCELERS = [ROLES.admin, ROLES.operator];

const noTemplate = { 404: 'no such template' };
const wrongStatus = { 409: "the template's status does not allow it" };

const update = {
  roles: TEMPLATE_WRITERS,
  params: templateIdParams,
  body: jsonBody(updateTemplateSchema),
  responses: { 200: 'the template, its draft changed', ...noTemplate, ...wrongStatus },
};

/** Both paths start a generation: the second is the old system's, kept for its clients. */
const generate = {
  summary: "Starts generating the blueprint of the template's default version",
  description:
    '`generator` and `force` may come in the body or, as old clients sent them, in the query ' +
    'string; the body wins.',
  roles: GENERATORS,
  params: templateIdParams,
  query: generateRequest,
  body: jsonBody(generateRequest, { optional: true }),
  responses: {
    200: 'the run already queued or running',
    202: 'the new run; a worker will execute it',
    ...noTemplate,
    409: 'the template is archived',
    422: 'the generator is not configured',
  },
};

/** Every route template-blueprint serves but the probes, with the schemas each parses its input with. */
export const templateBlueprintRouteCatalog: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/api/templates',
    summary: 'Creates a template (a draft)',
    roles: TEMPLATE_WRITERS,
    body: jsonBody(createTemplateSchema),
    responses: { 201: 'the template' },
  },
  {
    method: 'GET',
    path: '/api/templates',
    summary: 'Templates, optionally matching a search',
    query: listTemplatesQuery,
    responses: { 200: '`{ items, nextCursor }`' },
  },
  {
    method: 'GET',
    path: '/api/templates/:id',
    summary: 'A template with its content',
    params: templateIdParams,
    responses: { 200: 'the template', ...noTemplate },
  },
  { method: 'PUT', path: '/api/templates/:id', summary: "Changes a template's draft", ...update },
  {
    method: 'PATCH',
    path: '/api/templates/:id',
    summary: "Changes a template's draft (the same as PUT)",
    ...update,
  },
  {
    method: 'POST',
    path: '/api/templates/:id/publish',
    summary: 'Publishes the draft as a new version',
    roles: TEMPLATE_WRITERS,
    params: templateIdParams,
    responses: { 200: 'the template', ...noTemplate, ...wrongStatus },
  },
  {
    method: 'POST',
    path: '/api/templates/:id/archive',
    summary: 'Archives the template: no new projects or blueprints from it',
    roles: TEMPLATE_WRITERS,
    params: templateIdParams,
    responses: { 200: 'the template', ...noTemplate, ...wrongStatus },
  },
  {
    method: 'GET',
    path: '/api/templates/:id/versions/:version',
    summary: 'One version of a template: a published one, or the current draft',
    params: versionParams,
    responses: { 200: 'the version', 404: 'no such template or version' },
  },
  { method: 'POST', path: '/api/templates/:id/blueprint/generate', ...generate },
  { method: 'POST', path: '/api/templates/:id/generate-blueprint', ...generate },
  {
    method: 'GET',
    path: '/api/templates/:id/blueprint/status',
    summary: "The latest run, and whether the default version's blueprint is current or stale",
    params: templateIdParams,
    responses: { 200: '`{ templateVersion, status, latestRun, blueprint, blueprintStale }`', ...noTemplate },
  },
  {
    method: 'GET',
    path: '/api/templates/:id/blueprint/runs',
    summary: "The template's blueprint runs, newest first",
    params: templateIdParams,
    query: pageQuery,
    responses: { 200: '`{ items, nextCursor }`' },
  },
  {
    method: 'GET',
    path: '/api/templates/:id/blueprint-job',
    summary: "The template's queued or running blueprint run",
    params: templateIdParams,
    responses: { 200: 'the run', 404: 'no such template, or no run queued or running' },
  },
  {
    method: 'GET',
    path: '/api/templates/:id/blueprint',
    summary: 'The blueprint of a version (default: the latest published, else the draft)',
    description: 'Only a blueprint generated from the content the version has now: a stale one is a 404.',
    params: templateIdParams,
    query: blueprintQuery,
    responses: {
      200: '`{ templateId, templateVersion, runId, blueprint }`',
      404: 'no such template or version, no blueprint yet, or only a stale one',
    },
  },
  {
    method: 'POST',
    path: '/api/blueprint-runs/:runId/cancel',
    summary: 'Cancels a queued or running blueprint run',
    roles: RUN_CANCELERS,
    params: runIdParams,
    responses: { 200: 'the run', 404: 'no such run', 409: "the run's status does not allow it" },
  },
  {
    method: 'GET',
    path: '/api/blueprint-runs/:runId',
    summary: 'A blueprint run',
    params: runIdParams,
    responses: { 200: 'the run', 404: 'no such run' },
  },
  ...deadLetterRouteSpecs,
];
