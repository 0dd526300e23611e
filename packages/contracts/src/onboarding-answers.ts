/**
 * The onboarding answer rules, in one place for both sides: the pipeline judges saves with them,
 * and the web app (through `@delivery/contracts/onboarding`, which imports nothing at run time) shows a wrong
 * answer beside its field before saving. Pure: no I/O, no dependencies, so it runs in a browser.
 */

import type { FieldType } from './field-types.js';

/** A question of the onboarding, as the blueprint snapshotted it (the parts the rules read). */
export interface AnswerField {
  key: string;
  type: FieldType;
  required: boolean;
  validation?: { pattern?: string; min?: number; max?: number; options?: string[] };
}

export interface AnswerIssue {
  path: string;
  message: string;
}

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

/**
 * Checks every answer given against its field. Missing answers are not issues (saves may be
 * partial) and `null` clears an answer; an answer to a question the project does not have is.
 */
export function validateAnswers(fields: AnswerField[], answers: Record<string, unknown>): AnswerIssue[] {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const issues: AnswerIssue[] = [];
  for (const [key, value] of Object.entries(answers)) {
    const field = byKey.get(key);
    const path = `answers.${key}`;
    if (field === undefined) {
      issues.push({ path, message: 'is not a question of this onboarding' });
    } else if (value !== null) {
      for (const message of checkValue(field, value)) issues.push({ path, message });
    }
  }
  return issues;
}

/** Required fields count as answered only when their answer is both non-empty and valid. */
export function completeness(fields: AnswerField[], answers: Record<string, unknown>): Completeness {
  const issues = validateAnswers(fields, answers);
  const invalid = new Set(issues.map((issue) => issue.path));
  const required = fields.filter((field) => field.required);
  const missing = required
    .filter((field) => isEmptyAnswer(answers[field.key]) || invalid.has(`answers.${field.key}`))
    .map((field) => field.key);
  return {
    required: required.length,
    answered: required.length - missing.length,
    missing,
    complete: missing.length === 0 && issues.length === 0,
  };
}

/** Nothing given: no value, null, or blank text. */
export function isEmptyAnswer(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Every way a (non-null) value breaks its field; a value of the wrong type gets that one message only. */
export function checkValue(field: AnswerField, value: unknown): string[] {
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
    // Anchored so that the whole answer must match, not just a part of it.
    regex = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    // The blueprint's pattern is broken: no answer can be checked, so none is accepted.
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
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day)
  );
}
