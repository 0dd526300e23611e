import type { FieldSpec } from './types';

/**
 * The onboarding rules as the pipeline applies them (services/pipeline/src/domain/onboarding.ts),
 * repeated here so a person sees a wrong answer beside its field before saving. The server stays
 * the judge: its 400 issues are shown the same way.
 */

export interface Completeness {
  required: number;
  answered: number;
  /** Keys of required fields without a valid, non-empty answer, in field order. */
  missing: string[];
  complete: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/u;

export const isEmptyAnswer = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Every way a (non-null) value breaks its field; a value of the wrong type gets that one message only. */
export function checkValue(field: FieldSpec, value: unknown): string[] {
  const rules = field.validation ?? {};
  switch (field.type) {
    case 'text':
    case 'email':
    case 'url': {
      if (typeof value !== 'string') return ['must be text'];
      if (field.type === 'email' && !EMAIL.test(value)) return ['must be an email address'];
      if (field.type === 'url' && !isWebUrl(value)) return ['must be an http or https URL'];
      return [...lengthIssues(value, rules.min, rules.max), ...patternIssues(value, rules.pattern)];
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return ['must be a finite number'];
      const issues: string[] = [];
      if (rules.min !== undefined && value < rules.min) issues.push(`must be at least ${rules.min}`);
      if (rules.max !== undefined && value > rules.max) issues.push(`must be at most ${rules.max}`);
      return issues;
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : ['must be true or false'];
    case 'date':
      return typeof value === 'string' && isIsoDate(value)
        ? []
        : ['must be a date (yyyy-mm-dd) or an ISO date-time with a time zone'];
    case 'select': {
      const options = rules.options ?? [];
      return typeof value === 'string' && options.includes(value)
        ? []
        : [`must be one of: ${options.join(', ')}`];
    }
  }
}

/** Required fields count as answered only when their answer is both non-empty and valid. */
export function completeness(fields: FieldSpec[], answers: Record<string, unknown>): Completeness {
  const required = fields.filter((field) => field.required);
  const invalid = (field: FieldSpec) => {
    const value = answers[field.key];
    return value !== undefined && value !== null && checkValue(field, value).length > 0;
  };
  const missing = required
    .filter((field) => isEmptyAnswer(answers[field.key]) || invalid(field))
    .map((field) => field.key);
  return {
    required: required.length,
    answered: required.length - missing.length,
    missing,
    complete: missing.length === 0 && !fields.some(invalid),
  };
}

/** The rules of a field in words, shown under it so nobody has to guess them from an error. */
export function ruleHint(field: FieldSpec): string {
  const { min, max, pattern, options } = field.validation ?? {};
  const parts: string[] = [field.required ? 'Required' : 'Optional'];
  const bounds = (unit: string) => {
    if (min !== undefined && min === max) parts.push(`exactly ${min}${unit}`);
    else if (min !== undefined && max !== undefined) parts.push(`${min} to ${max}${unit}`);
    else if (min !== undefined) parts.push(`at least ${min}${unit}`);
    else if (max !== undefined) parts.push(`at most ${max}${unit}`);
  };
  switch (field.type) {
    case 'number':
      bounds('');
      break;
    case 'text':
    case 'email':
    case 'url':
      if (field.type === 'email') parts.push('an email address');
      if (field.type === 'url') parts.push('an http or https URL');
      bounds(' characters');
      if (pattern !== undefined) parts.push(`matching ${pattern}`);
      break;
    case 'date':
      parts.push('a date');
      break;
    case 'select':
      parts.push(`one of ${(options ?? []).join(', ')}`);
      break;
    case 'boolean':
      parts.push('yes or no');
      break;
  }
  return parts.join(' · ');
}

/** Length in characters as people count them (code points), not UTF-16 units. */
function lengthIssues(value: string, min: number | undefined, max: number | undefined): string[] {
  const length = [...value].length;
  const issues: string[] = [];
  if (min !== undefined && length < min) issues.push(`must be at least ${min} characters`);
  if (max !== undefined && length > max) issues.push(`must be at most ${max} characters`);
  return issues;
}

function patternIssues(value: string, pattern: string | undefined): string[] {
  if (pattern === undefined) return [];
  let regex: RegExp;
  try {
    // Anchored, as on the server: the whole answer must match, not just a part of it.
    regex = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return ['cannot be checked: the question has an invalid pattern'];
  }
  return regex.test(value) ? [] : [`must match the pattern ${pattern}`];
}

function isWebUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

function isIsoDate(value: string): boolean {
  const date = DATE.exec(value);
  if (date !== null) return isCalendarDay(date[1], date[2], date[3]);
  const time = DATE_TIME.exec(value);
  if (time === null) return false;
  const [, year, month, day, hour, minute, second, offsetHour = '00', offsetMinute = '00'] = time;
  return (
    isCalendarDay(year, month, day) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60 &&
    Number(offsetHour) < 24 &&
    Number(offsetMinute) < 60
  );
}

/** Rejects days the calendar does not have (2026-02-30) by checking the date survives a round trip. */
function isCalendarDay(year = '', month = '', day = ''): boolean {
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day)
  );
}
