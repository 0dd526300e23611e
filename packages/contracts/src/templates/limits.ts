import { z } from 'zod';

/**
 * Upper bounds shared by templates and blueprints. They keep a request body, a stored document
 * and a model's answer small enough to validate, store and render without surprises.
 */
export const TEMPLATE_LIMITS = {
  name: 200,
  templateDescription: 5_000,
  label: 200,
  title: 300,
  description: 2_000,
  checklistItem: 1_000,
  checklistItems: 50,
  fields: 100,
  options: 100,
  option: 100,
  pattern: 500,
  artifacts: 50,
  contentTypes: 20,
  /** Template tasks or checks per stage. */
  stageItems: 50,
  /** Blueprint tasks per stage: one per field or artifact, plus defaults and the template's own. */
  blueprintTasks: 200,
  blueprintChecks: 100,
  /** 1 TiB: far above any real deliverable, low enough to stay an exact JSON number. */
  maxSizeBytes: 2 ** 40,
} as const;

/** Trimmed, non-empty text of at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/**
 * Stable identifiers (field keys, task and check keys): safe in URLs, form names and logs.
 * Blueprint keys get more room than template keys because generators prefix them (`provide-<key>`).
 */
export const slug = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max)
    .regex(/^[a-z][a-z0-9_-]*$/, 'use lowercase letters, digits, "-" or "_", starting with a letter');
export const TEMPLATE_KEY_MAX = 64;
export const BLUEPRINT_KEY_MAX = 100;

/**
 * `type/subtype`, either part may use `*` as a wildcard (`application/*`, `application/*+json`),
 * or `*` alone for anything: the patterns the job-runner's build check understands.
 */
const contentTypePattern = z
  .string()
  .trim()
  .max(255)
  .regex(
    /^(\*|[\w.+*!#$&^-]+\/[\w.+*!#$&^-]+)$/,
    'expected a content type such as "application/zip" or "image/*"',
  );

export const contentTypeSchema = z.union([
  contentTypePattern,
  z.array(contentTypePattern).min(1).max(TEMPLATE_LIMITS.contentTypes),
]);
export type ContentType = z.infer<typeof contentTypeSchema>;

export const maxSizeBytesSchema = z.number().int().positive().max(TEMPLATE_LIMITS.maxSizeBytes);

/** Reports each value that occurs again after its first occurrence, at `[index, ...field]`. */
export function reportDuplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  field: string,
  what: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const value = keyOf(item);
    if (seen.has(value)) {
      ctx.addIssue({ code: 'custom', message: `duplicate ${what} "${value}"`, path: [index, field] });
    }
    seen.add(value);
  });
}
