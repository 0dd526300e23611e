/**
 * The types an onboarding question (a template field) can have, as plain data
 * (`@delivery/contracts/field-types`): zod-free, so the web app's editors list them without the
 * schemas. `fieldTypeSchema` (templates/template-field.ts) is built from this list.
 */
export const FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'select', 'email', 'url'] as const;

export type FieldType = (typeof FIELD_TYPES)[number];
