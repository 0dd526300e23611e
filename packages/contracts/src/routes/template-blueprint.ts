import { z } from 'zod';
import { blueprintRunStatusSchema } from '../blueprints.js';
import { defineRoute, json, jsonBody } from '../http/route-contract.js';
import { ROLES } from '../identity.js';
import { blueprintSchema, GENERATOR_NAMES } from '../templates/blueprint.js';
import {
  createTemplateSchema,
  templateContentSchema,
  templateStatusSchema,
  updateTemplateSchema,
} from '../templates/template.js';

/** Templates shape every project made from them: only admins write them. */
const TEMPLATE_WRITERS = [ROLES.admin] as const;
/** Admins, the managers who run projects, and services (the pipeline). */
const GENERATORS = [ROLES.admin, ROLES.deliveryManager, ROLES.service] as const;
/** Stopping someone's run is an operation on the platform. */
const RUN_CANCELERS = [ROLES.admin, ROLES.operator] as const;

// ── Input ──────────────────────────────────────────────────────────────────────────────────

export const templateIdParams = z.object({ id: z.uuid() });
export const runIdParams = z.object({ runId: z.uuid() });
export const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().min(1).optional(),
});

export const listTemplatesQuery = pageQuery.extend({ search: z.string().trim().min(1).max(200).optional() });

const booleanish = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/**
 * What a generate request may say, in its body or (as old clients sent it, `?force=true`) in its
 * query string: the body wins, key by key; `generator` defaults to `rules`, `force` to false.
 */
export const generateRequest = z.object({
  generator: z.enum(GENERATOR_NAMES).optional(),
  force: booleanish.optional(),
});

export const blueprintQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

// ── Answers ────────────────────────────────────────────────────────────────────────────────

const timestamp = z.iso.datetime();

const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A template as lists show it: without its content and versions. */
export const templateSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  status: templateStatusSchema,
  /** The current version: the draft being edited, or the latest published one. */
  version: z.number().int().min(1),
  createdAt: timestamp,
  updatedAt: timestamp,
  archivedAt: timestamp.nullable(),
});
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

/** A template with the current version's content and the versions published so far, in order. */
export const templateViewSchema = templateSummarySchema.extend({
  content: templateContentSchema,
  publishedVersions: z.array(z.number().int().min(1)),
});
export type TemplateView = z.infer<typeof templateViewSchema>;

export const templateListSchema = pageOf(templateSummarySchema);

/** A published version, frozen, or the current draft (`draft: true`, `publishedAt` its last change). */
export const templateVersionSchema = z.object({
  version: z.number().int().min(1),
  name: z.string(),
  description: z.string(),
  content: templateContentSchema,
  publishedAt: timestamp,
  draft: z.literal(true).optional(),
});
export type TemplateVersionView = z.infer<typeof templateVersionSchema>;

/** One generation of one template version, as lists show it: without what the generator wrote. */
export const blueprintRunSummarySchema = z.object({
  id: z.string(),
  templateId: z.string(),
  templateVersion: z.number().int().min(1),
  status: blueprintRunStatusSchema,
  generator: z.string(),
  /** Of the version's content it generates from: the blueprint is current while the version has it. */
  contentHash: z.string(),
  attempt: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  /** Times the run was put back because its generator was unavailable. */
  deferrals: z.number().int().min(0),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  correlationId: z.string(),
  createdAt: timestamp,
  /** When a queued run may next be picked up. */
  nextAttemptAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  durationMs: z.number().int().min(0).nullable(),
});
export type BlueprintRunSummary = z.infer<typeof blueprintRunSummarySchema>;

/** A run with what its generator wrote: the blueprint once it succeeded, and the raw answer. */
export const blueprintRunSchema = blueprintRunSummarySchema.extend({
  /** What the generator answered, kept for debugging. */
  rawOutput: z.string().nullable(),
  blueprint: blueprintSchema.nullable(),
});
export type BlueprintRunView = z.infer<typeof blueprintRunSchema>;

export const blueprintRunListSchema = pageOf(blueprintRunSummarySchema);

/** The latest run of a template, and whether its default version's blueprint is current or stale. */
export const blueprintStatusSchema = z.object({
  templateId: z.string(),
  templateVersion: z.number().int().min(1),
  status: z.union([blueprintRunStatusSchema, z.literal('none')]),
  latestRun: blueprintRunSchema.nullable(),
  /** The default version's current blueprint, if it has one. */
  blueprint: z.object({ templateVersion: z.number().int().min(1), runId: z.string() }).nullable(),
  /** One was generated, but from content the version no longer has: regenerate to get a current one. */
  blueprintStale: z.boolean(),
});
export type BlueprintStatus = z.infer<typeof blueprintStatusSchema>;

/** The blueprint of a template version, and the run that generated it: what the pipeline reads. */
export const blueprintAnswerSchema = z.object({
  templateId: z.string(),
  templateVersion: z.number().int().min(1),
  runId: z.string(),
  blueprint: blueprintSchema,
});
export type BlueprintAnswer = z.infer<typeof blueprintAnswerSchema>;

// ── Routes ─────────────────────────────────────────────────────────────────────────────────

const noTemplate = { 404: 'no such template' } as const;
const wrongStatus = { 409: "the template's status does not allow it" } as const;

const update = {
  roles: TEMPLATE_WRITERS,
  params: templateIdParams,
  body: jsonBody(updateTemplateSchema),
  responses: {
    200: json('the template, its draft changed', templateViewSchema),
    ...noTemplate,
    ...wrongStatus,
  },
} as const;

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
    200: json('the run already queued or running', blueprintRunSchema),
    202: json('the new run; a worker will execute it', blueprintRunSchema),
    ...noTemplate,
    409: 'the template is archived',
    422: 'the generator is not configured',
  },
} as const;

// Keys other than the dead-letter routes' (`list`, `replay`): SERVICE_ROUTES spreads both into one.
export const templateBlueprintRoutes = {
  createTemplate: defineRoute({
    method: 'POST',
    path: '/api/templates',
    summary: 'Creates a template (a draft)',
    roles: TEMPLATE_WRITERS,
    body: jsonBody(createTemplateSchema),
    responses: { 201: json('the template', templateViewSchema) },
  }),
  listTemplates: defineRoute({
    method: 'GET',
    path: '/api/templates',
    summary: 'Templates, optionally matching a search',
    query: listTemplatesQuery,
    responses: { 200: json('a page of templates, newest first', templateListSchema) },
  }),
  getTemplate: defineRoute({
    method: 'GET',
    path: '/api/templates/:id',
    summary: 'A template with its content',
    params: templateIdParams,
    responses: { 200: json('the template', templateViewSchema), ...noTemplate },
  }),
  updateTemplate: defineRoute({
    method: 'PUT',
    path: '/api/templates/:id',
    summary: "Changes a template's draft",
    ...update,
  }),
  patchTemplate: defineRoute({
    method: 'PATCH',
    path: '/api/templates/:id',
    summary: "Changes a template's draft (the same as PUT)",
    ...update,
  }),
  publish: defineRoute({
    method: 'POST',
    path: '/api/templates/:id/publish',
    summary: 'Publishes the draft as a new version',
    roles: TEMPLATE_WRITERS,
    params: templateIdParams,
    responses: { 200: json('the template', templateViewSchema), ...noTemplate, ...wrongStatus },
  }),
  archive: defineRoute({
    method: 'POST',
    path: '/api/templates/:id/archive',
    summary: 'Archives the template: no new projects or blueprints from it',
    roles: TEMPLATE_WRITERS,
    params: templateIdParams,
    responses: { 200: json('the template', templateViewSchema), ...noTemplate, ...wrongStatus },
  }),
  getVersion: defineRoute({
    method: 'GET',
    path: '/api/templates/:id/versions/:version',
    summary: 'One version of a template: a published one, or the current draft',
    params: versionParams,
    responses: {
      200: json('the version', templateVersionSchema),
      404: 'no such template or version',
    },
  }),
  generate: defineRoute({ method: 'POST', path: '/api/templates/:id/blueprint/generate', ...generate }),
  generateLegacy: defineRoute({
    method: 'POST',
    path: '/api/templates/:id/generate-blueprint',
    ...generate,
  }),
  blueprintStatus: defineRoute({
    method: 'GET',
    path: '/api/templates/:id/blueprint/status',
    summary: "The latest run, and whether the default version's blueprint is current or stale",
    params: templateIdParams,
    responses: { 200: json('the status', blueprintStatusSchema), ...noTemplate },
  }),
  listRuns: defineRoute({
    method: 'GET',
    path: '/api/templates/:id/blueprint/runs',
    summary: "The template's blueprint runs, newest first",
    params: templateIdParams,
    query: pageQuery,
    responses: { 200: json('a page of runs, newest first', blueprintRunListSchema), ...noTemplate },
  }),
  activeRun: defineRoute({
    method: 'GET',
    path: '/api/templates/:id/blueprint-job',
    summary: "The template's queued or running blueprint run",
    params: templateIdParams,
    responses: {
      200: json('the run', blueprintRunSchema),
      404: 'no such template, or no run queued or running',
    },
  }),
  getBlueprint: defineRoute({
    method: 'GET',
    path: '/api/templates/:id/blueprint',
    summary: 'The blueprint of a version (default: the latest published, else the draft)',
    description: 'Only a blueprint generated from the content the version has now: a stale one is a 404.',
    params: templateIdParams,
    query: blueprintQuery,
    responses: {
      200: json('the blueprint', blueprintAnswerSchema),
      404: 'no such template or version, no blueprint yet, or only a stale one (`blueprint_stale`)',
    },
  }),
  cancelRun: defineRoute({
    method: 'POST',
    path: '/api/blueprint-runs/:runId/cancel',
    summary: 'Cancels a queued or running blueprint run',
    roles: RUN_CANCELERS,
    params: runIdParams,
    responses: {
      200: json('the run', blueprintRunSchema),
      404: 'no such run',
      409: "the run's status does not allow it",
    },
  }),
  getRun: defineRoute({
    method: 'GET',
    path: '/api/blueprint-runs/:runId',
    summary: 'A blueprint run',
    params: runIdParams,
    responses: { 200: json('the run', blueprintRunSchema), 404: 'no such run' },
  }),
} as const;
