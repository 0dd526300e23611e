import { z } from 'zod';
import { STAGES, stageSchema } from '../stages.js';
import {
  BLUEPRINT_KEY_MAX,
  contentTypeSchema,
  maxSizeBytesSchema,
  reportDuplicates,
  slug,
  TEMPLATE_LIMITS,
  text,
} from './limits.js';
import { templateFieldSchema } from './template-field.js';

/**
 * A blueprint as template-blueprint's generators must write it and its API answers it: every
 * stage's tasks and checks, and what the pipeline enforces (required inputs and artifacts).
 */

/** The generators template-blueprint's workers have; a blueprint can be validated without them. */
export const GENERATOR_NAMES = ['rules', 'llm'] as const;
export const generatorNameSchema = z.enum(GENERATOR_NAMES);
export type GeneratorName = z.infer<typeof generatorNameSchema>;

export const blueprintTaskSchema = z.object({
  key: slug(BLUEPRINT_KEY_MAX),
  title: text(TEMPLATE_LIMITS.title),
  description: text(TEMPLATE_LIMITS.description).optional(),
  checklist: z.array(text(TEMPLATE_LIMITS.checklistItem)).max(TEMPLATE_LIMITS.checklistItems),
});
export type BlueprintTask = z.infer<typeof blueprintTaskSchema>;

export const blueprintCheckSchema = z.object({
  key: slug(BLUEPRINT_KEY_MAX),
  title: text(TEMPLATE_LIMITS.title),
  description: text(TEMPLATE_LIMITS.description).optional(),
});
export type BlueprintCheck = z.infer<typeof blueprintCheckSchema>;

export const blueprintStageSchema = z
  .object({
    stage: stageSchema,
    /** The stage's position in the pipeline (0 for 0_sales … 6 for 6_complete). */
    order: z
      .number()
      .int()
      .min(0)
      .max(STAGES.length - 1),
    tasks: z
      .array(blueprintTaskSchema)
      .max(TEMPLATE_LIMITS.blueprintTasks)
      .superRefine((tasks, ctx) => reportDuplicates(tasks, (t) => t.key, 'key', 'task key', ctx)),
    checks: z
      .array(blueprintCheckSchema)
      .max(TEMPLATE_LIMITS.blueprintChecks)
      .superRefine((checks, ctx) => reportDuplicates(checks, (c) => c.key, 'key', 'check key', ctx)),
  })
  .superRefine((s, ctx) => {
    const expected = STAGES.indexOf(s.stage);
    if (s.order !== expected) {
      ctx.addIssue({ code: 'custom', message: `order of ${s.stage} must be ${expected}`, path: ['order'] });
    }
  });
export type BlueprintStage = z.infer<typeof blueprintStageSchema>;

/** An onboarding answer the pipeline requires; same shape as the template's field. */
export const requiredInputSchema = templateFieldSchema;
export type RequiredInput = z.infer<typeof requiredInputSchema>;

/**
 * An upload the build stage checks. Exactly the shape the job-runner's build handler takes
 * (`requiredArtifacts` of its payload), so the list is passed through unchanged.
 */
export const requiredArtifactSchema = z.object({
  name: text(TEMPLATE_LIMITS.name),
  contentType: contentTypeSchema,
  maxSizeBytes: maxSizeBytesSchema,
  required: z.boolean(),
});
export type RequiredArtifact = z.infer<typeof requiredArtifactSchema>;

/** Every stage exactly once, in pipeline order, so consumers can index by position. */
function checkStageList(stages: readonly BlueprintStage[], ctx: z.RefinementCtx): void {
  const listed = stages.map((s) => s.stage);
  const missing = STAGES.filter((stage) => !listed.includes(stage));
  if (missing.length > 0) {
    ctx.addIssue({ code: 'custom', message: `missing stages: ${missing.join(', ')}`, path: [] });
  }
  listed.forEach((stage, index) => {
    if (listed.indexOf(stage) !== index) {
      ctx.addIssue({ code: 'custom', message: `duplicate stage ${stage}`, path: [index, 'stage'] });
    } else if (missing.length === 0 && stage !== STAGES[index]) {
      ctx.addIssue({
        code: 'custom',
        message: `stage ${index} must be ${STAGES[index]}, not ${stage}`,
        path: [index, 'stage'],
      });
    }
  });
}

export const blueprintSchema = z.object({
  templateId: z.string().min(1).max(100),
  templateVersion: z.number().int().min(1),
  generator: generatorNameSchema,
  stages: z.array(blueprintStageSchema).max(STAGES.length).superRefine(checkStageList),
  requiredInputs: z
    .array(requiredInputSchema)
    .max(TEMPLATE_LIMITS.fields)
    .superRefine((inputs, ctx) => reportDuplicates(inputs, (i) => i.key, 'key', 'input key', ctx)),
  requiredArtifacts: z
    .array(requiredArtifactSchema)
    .max(TEMPLATE_LIMITS.artifacts)
    .superRefine((artifacts, ctx) =>
      reportDuplicates(artifacts, (a) => a.name, 'name', 'artifact name', ctx),
    ),
});
export type Blueprint = z.infer<typeof blueprintSchema>;
