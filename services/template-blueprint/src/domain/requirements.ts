import type { RequiredArtifact, RequiredInput, TemplateContent } from '@delivery/contracts';

/**
 * What the pipeline enforces comes straight from the template, whichever generator wrote the
 * rest: a generator must not be able to drop a required field or loosen a size limit.
 * Objects are rebuilt key by key so the output does not depend on the stored key order.
 */
export const requiredInputsFrom = (content: TemplateContent): RequiredInput[] =>
  content.fields.map((f) => ({
    key: f.key,
    label: f.label,
    type: f.type,
    required: f.required,
    ...(f.validation && {
      validation: {
        ...(f.validation.pattern !== undefined && { pattern: f.validation.pattern }),
        ...(f.validation.min !== undefined && { min: f.validation.min }),
        ...(f.validation.max !== undefined && { max: f.validation.max }),
        ...(f.validation.options !== undefined && { options: [...f.validation.options] }),
      },
    }),
  }));

export const requiredArtifactsFrom = (content: TemplateContent): RequiredArtifact[] =>
  content.artifacts.map((a) => ({
    name: a.name,
    contentType: typeof a.contentType === 'string' ? a.contentType : [...a.contentType],
    maxSizeBytes: a.maxSizeBytes,
    required: a.required,
  }));
