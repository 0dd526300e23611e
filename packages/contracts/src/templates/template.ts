import { z } from 'zod';
import { stageSchema } from '../stages.js';
import {
  contentTypeSchema,
  maxSizeBytesSchema,
  reportDuplicates,
  slug,
  TEMPLATE_KEY_MAX,
  TEMPLATE_LIMITS,
  text,
} from './limits.js';
import { templateFieldSchema } from './template-field.js';

/**
 * A template as template-blueprint takes it (the bodies of `POST /api/templates` and its edits)
 * and answers it: the questions, uploads and stage items every project made from it gets.
 */

export { FIELD_TYPES, type FieldType, type FieldValidation, type TemplateField } from './template-field.js';
export { templateFieldSchema };

export const TEMPLATE_STATUSES = ['draft', 'published', 'archived'] as const;
export const templateStatusSchema = z.enum(TEMPLATE_STATUSES);
export type TemplateStatus = z.infer<typeof templateStatusSchema>;

/** A file a project uploads; `name` is what uploads are matched by. */
export const templateArtifactSchema = z.object({
  name: text(TEMPLATE_LIMITS.name),
  contentType: contentTypeSchema,
  maxSizeBytes: maxSizeBytesSchema,
  required: z.boolean().default(true),
  description: text(TEMPLATE_LIMITS.description).optional(),
});
export type TemplateArtifact = z.infer<typeof templateArtifactSchema>;

/** A task or check a template adds to a stage. */
export const stageItemSchema = z.object({
  key: slug(TEMPLATE_KEY_MAX),
  title: text(TEMPLATE_LIMITS.label),
  description: text(TEMPLATE_LIMITS.description).optional(),
});
export type StageItem = z.infer<typeof stageItemSchema>;

const stageItemsSchema = z
  .array(stageItemSchema)
  .max(TEMPLATE_LIMITS.stageItems)
  .default([])
  .superRefine((items, ctx) => reportDuplicates(items, (i) => i.key, 'key', 'key', ctx));

export const templateStageSchema = z.object({ tasks: stageItemsSchema, checks: stageItemsSchema });
export type TemplateStage = z.infer<typeof templateStageSchema>;

export const templateContentSchema = z.object({
  fields: z
    .array(templateFieldSchema)
    .max(TEMPLATE_LIMITS.fields)
    .default([])
    .superRefine((fields, ctx) => reportDuplicates(fields, (f) => f.key, 'key', 'field key', ctx)),
  artifacts: z
    .array(templateArtifactSchema)
    .max(TEMPLATE_LIMITS.artifacts)
    .default([])
    .superRefine((artifacts, ctx) =>
      reportDuplicates(artifacts, (a) => a.name, 'name', 'artifact name', ctx),
    ),
  /** Only the stages the template has something to say about; the others get the defaults. */
  stages: z.partialRecord(stageSchema, templateStageSchema).default({}),
});
export type TemplateContent = z.infer<typeof templateContentSchema>;
export type TemplateContentInput = z.input<typeof templateContentSchema>;

export const createTemplateSchema = z.object({
  name: text(TEMPLATE_LIMITS.name),
  description: z.string().trim().max(TEMPLATE_LIMITS.templateDescription).default(''),
  content: templateContentSchema,
});
export type CreateTemplate = z.infer<typeof createTemplateSchema>;

/** Any subset of what create takes; an edit that changes nothing is a client mistake. */
export const updateTemplateSchema = z
  .object({
    name: text(TEMPLATE_LIMITS.name).optional(),
    description: z.string().trim().max(TEMPLATE_LIMITS.templateDescription).optional(),
    content: templateContentSchema.optional(),
  })
  .refine((u) => u.name !== undefined || u.description !== undefined || u.content !== undefined, {
    message: 'give at least one of name, description, content',
  });
export type UpdateTemplate = z.infer<typeof updateTemplateSchema>;
