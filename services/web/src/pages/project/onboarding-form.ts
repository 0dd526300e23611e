import type { FieldSpec } from '../../api/answers';
import { type Completeness, checkValue, completeness } from './onboarding-rules';

/**
 * The onboarding form, generated from the project's snapshotted fields. Inputs hold text; a draft
 * keeps only the fields a person edited, over the saved answers, so answers saved elsewhere (live
 * refresh) show up in every field nobody is editing, and a save sends only what changed.
 */

/** Edited fields by key, as typed. */
export type Edits = Record<string, string>;

export type Control =
  | { kind: 'input'; type: 'text' | 'number' | 'date' | 'email' | 'url' }
  | { kind: 'select'; options: { value: string; label: string }[] };

const NOT_ANSWERED = { value: '', label: '— not answered —' };

/** Which control asks a field, for the text it currently holds. */
export function controlOf(field: FieldSpec, raw: string): Control {
  switch (field.type) {
    case 'select':
      return {
        kind: 'select',
        options: [NOT_ANSWERED, ...(field.validation?.options ?? []).map((o) => ({ value: o, label: o }))],
      };
    case 'boolean':
      return {
        kind: 'select',
        options: [NOT_ANSWERED, { value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }],
      };
    case 'date':
      // A date-time answer (allowed by the API) does not fit a date picker: show it as text.
      return { kind: 'input', type: raw === '' || /^\d{4}-\d{2}-\d{2}$/u.test(raw) ? 'date' : 'text' };
    default:
      return { kind: 'input', type: field.type };
  }
}

/** A saved answer as the text its control shows. */
export function rawOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/u;

/** What a control's text means as an answer: `null` (blank) clears it. */
export function parseRaw(field: FieldSpec, raw: string): Parsed {
  if (raw.trim() === '') return { ok: true, value: null };
  switch (field.type) {
    case 'number':
      return DECIMAL.test(raw.trim())
        ? { ok: true, value: Number(raw.trim()) }
        : { ok: false, message: 'must be a finite number' };
    case 'boolean':
      if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
      return { ok: false, message: 'must be true or false' };
    default:
      return { ok: true, value: raw };
  }
}

/** The message to show beside a field for its current text, or undefined when it is fine. */
export function fieldError(field: FieldSpec, raw: string): string | undefined {
  const parsed = parseRaw(field, raw);
  if (!parsed.ok) return parsed.message;
  if (parsed.value === null) return undefined;
  return checkValue(field, parsed.value)[0];
}

export const shownRaw = (field: FieldSpec, saved: Record<string, unknown>, edits: Edits): string =>
  edits[field.key] ?? rawOf(saved[field.key]);

export interface PendingSave {
  /** What to send as `answers`: only fields whose answer changes (null clears one). */
  answers: Record<string, unknown>;
  /** Client-side problems by key; while any exists nothing is sent. */
  errors: Record<string, string>;
}

export function pendingSave(fields: FieldSpec[], saved: Record<string, unknown>, edits: Edits): PendingSave {
  const answers: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = edits[field.key];
    if (raw === undefined) continue;
    const error = fieldError(field, raw);
    if (error !== undefined) {
      errors[field.key] = error;
      continue;
    }
    const parsed = parseRaw(field, raw) as { ok: true; value: unknown };
    const before = saved[field.key] ?? null;
    if (parsed.value !== before) answers[field.key] = parsed.value;
  }
  return { answers, errors };
}

/** The answers as they would be after saving the draft (edits that do not parse are left out). */
export function draftAnswers(
  fields: FieldSpec[],
  saved: Record<string, unknown>,
  edits: Edits,
): Record<string, unknown> {
  const merged = { ...saved };
  for (const field of fields) {
    const raw = edits[field.key];
    if (raw === undefined) continue;
    const parsed = parseRaw(field, raw);
    if (!parsed.ok) continue;
    if (parsed.value === null) delete merged[field.key];
    else merged[field.key] = parsed.value;
  }
  return merged;
}

export const draftCompleteness = (
  fields: FieldSpec[],
  saved: Record<string, unknown>,
  edits: Edits,
): Completeness => completeness(fields, draftAnswers(fields, saved, edits));
