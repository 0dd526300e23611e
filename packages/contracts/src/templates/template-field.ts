import { z } from 'zod';
import { FIELD_TYPES, type FieldType } from '../field-types.js';
import { slug, TEMPLATE_KEY_MAX, TEMPLATE_LIMITS, text } from './limits.js';

export { FIELD_TYPES, type FieldType };

/** The type of an onboarding question, from the zod-free list the web app's editors show. */
export const fieldTypeSchema = z.enum(FIELD_TYPES);

/** Field types whose `min`/`max` bound a length (the others bound the value). */
const LENGTH_BOUNDED: readonly FieldType[] = ['text', 'email', 'url'];
/** Which validation rule makes sense for which type; anything else is a template mistake. */
const APPLIES_TO: Record<'pattern' | 'min' | 'max' | 'options', readonly FieldType[]> = {
  pattern: ['text', 'email', 'url'],
  min: ['number', ...LENGTH_BOUNDED],
  max: ['number', ...LENGTH_BOUNDED],
  options: ['select'],
};

const compiles = (pattern: string): boolean => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};

export const fieldValidationSchema = z.object({
  /** A JavaScript regular expression (unicode mode) the whole answer must match. */
  pattern: z
    .string()
    .min(1)
    .max(TEMPLATE_LIMITS.pattern)
    .refine(compiles, 'not a valid regular expression')
    .optional(),
  /** number: smallest value; text, email, url: fewest characters. */
  min: z.number().finite().optional(),
  /** number: largest value; text, email, url: most characters. */
  max: z.number().finite().optional(),
  /** select: the allowed answers. */
  options: z.array(text(TEMPLATE_LIMITS.option)).min(1).max(TEMPLATE_LIMITS.options).optional(),
});
export type FieldValidation = z.infer<typeof fieldValidationSchema>;

/** A question a project answers at onboarding. */
export const templateFieldSchema = z
  .object({
    key: slug(TEMPLATE_KEY_MAX),
    label: text(TEMPLATE_LIMITS.label),
    type: fieldTypeSchema,
    required: z.boolean().default(true),
    validation: fieldValidationSchema.optional(),
  })
  .superRefine((field, ctx) => {
    const rules = field.validation ?? {};
    if (field.type === 'select' && rules.options === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'a select field needs validation.options',
        path: ['validation', 'options'],
      });
    }
    for (const rule of ['pattern', 'min', 'max', 'options'] as const) {
      if (rules[rule] !== undefined && !APPLIES_TO[rule].includes(field.type)) {
        ctx.addIssue({
          code: 'custom',
          message: `${rule} does not apply to a ${field.type} field`,
          path: ['validation', rule],
        });
      }
    }
    if (LENGTH_BOUNDED.includes(field.type)) {
      for (const bound of ['min', 'max'] as const) {
        const value = rules[bound];
        if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
          ctx.addIssue({
            code: 'custom',
            message: `a length bound must be a whole number of at least 0`,
            path: ['validation', bound],
          });
        }
      }
    }
    if (rules.min !== undefined && rules.max !== undefined && rules.min > rules.max) {
      ctx.addIssue({
        code: 'custom',
        message: `min (${rules.min}) is greater than max (${rules.max})`,
        path: ['validation', 'min'],
      });
    }
    const options = rules.options ?? [];
    options.forEach((option, index) => {
      if (options.indexOf(option) !== index) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate option "${option}"`,
          path: ['validation', 'options', index],
        });
      }
    });
  });
export type TemplateField = z.infer<typeof templateFieldSchema>;
