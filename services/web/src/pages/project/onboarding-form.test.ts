import { describe, expect, test } from 'vitest';
import type { FieldSpec } from '../../api/answers';
import {
  controlOf,
  draftCompleteness,
  fieldError,
  parseRaw,
  pendingSave,
  rawOf,
  shownRaw,
} from './onboarding-form';

const fields: FieldSpec[] = [
  { key: 'domain', label: 'Domain', type: 'url', required: true },
  { key: 'seats', label: 'Seats', type: 'number', required: true, validation: { min: 1, max: 500 } },
  { key: 'sso', label: 'Single sign-on', type: 'boolean', required: true },
  { key: 'plan', label: 'Plan', type: 'select', required: false, validation: { options: ['basic', 'pro'] } },
  { key: 'start', label: 'Start', type: 'date', required: false },
  { key: 'contact', label: 'Contact', type: 'email', required: false },
];
const byKey = (key: string) => fields.find((field) => field.key === key) as FieldSpec;

describe('the onboarding form generated from the fields', () => {
  test('each type gets the control that asks it', () => {
    expect(controlOf(byKey('domain'), '')).toEqual({ kind: 'input', type: 'url' });
    expect(controlOf(byKey('seats'), '')).toEqual({ kind: 'input', type: 'number' });
    expect(controlOf(byKey('contact'), '')).toEqual({ kind: 'input', type: 'email' });
    expect(controlOf(byKey('start'), '2026-03-01')).toEqual({ kind: 'input', type: 'date' });
    // A date-time answer cannot be shown by a date picker without losing its time.
    expect(controlOf(byKey('start'), '2026-03-01T09:00:00Z')).toEqual({ kind: 'input', type: 'text' });
    expect(controlOf(byKey('plan'), '')).toEqual({
      kind: 'select',
      options: [
        { value: '', label: '— not answered —' },
        { value: 'basic', label: 'basic' },
        { value: 'pro', label: 'pro' },
      ],
    });
    const sso = controlOf(byKey('sso'), '');
    expect(sso.kind === 'select' && sso.options.map((option) => option.value)).toEqual(['', 'true', 'false']);
  });

  test('text in the controls becomes typed answers; blank clears', () => {
    expect(parseRaw(byKey('seats'), ' 12 ')).toEqual({ ok: true, value: 12 });
    expect(parseRaw(byKey('seats'), '1.5e2')).toEqual({ ok: true, value: 150 });
    expect(parseRaw(byKey('seats'), '12abc')).toEqual({ ok: false, message: 'must be a finite number' });
    expect(parseRaw(byKey('sso'), 'false')).toEqual({ ok: true, value: false });
    expect(parseRaw(byKey('domain'), '   ')).toEqual({ ok: true, value: null });
    expect(rawOf(false)).toBe('false');
    expect(rawOf(12)).toBe('12');
    expect(rawOf(undefined)).toBe('');
  });

  test('inline errors say what the server would', () => {
    expect(fieldError(byKey('seats'), '0')).toBe('must be at least 1');
    expect(fieldError(byKey('seats'), 'many')).toBe('must be a finite number');
    expect(fieldError(byKey('domain'), 'acme')).toBe('must be an http or https URL');
    expect(fieldError(byKey('domain'), '')).toBeUndefined();
    expect(fieldError(byKey('domain'), 'https://acme.example')).toBeUndefined();
  });

  test('a draft shows edits over the saved answers, which stay live elsewhere', () => {
    const saved = { domain: 'https://old.example', seats: 3 };
    expect(shownRaw(byKey('domain'), saved, { domain: 'https://new.example' })).toBe('https://new.example');
    expect(shownRaw(byKey('seats'), saved, { domain: 'x' })).toBe('3');
  });

  test('a save sends only the answers that change, null for a cleared one', () => {
    const saved = { domain: 'https://acme.example', seats: 3, plan: 'pro' };
    const edits = { domain: 'https://acme.example', seats: '4', plan: '', sso: 'true' };
    expect(pendingSave(fields, saved, edits)).toEqual({
      answers: { seats: 4, plan: null, sso: true },
      errors: {},
    });
    // Clearing what was never answered changes nothing.
    expect(pendingSave(fields, {}, { contact: '' })).toEqual({ answers: {}, errors: {} });
  });

  test('nothing is sent while an edit is invalid', () => {
    expect(
      pendingSave(fields, {}, { seats: '9000', domain: 'https://a.example', contact: 'nobody' }),
    ).toEqual({
      answers: { domain: 'https://a.example' },
      errors: { seats: 'must be at most 500', contact: 'must be an email address' },
    });
  });

  test('completeness after saving counts the draft', () => {
    const saved = { domain: 'https://acme.example' };
    expect(draftCompleteness(fields, saved, { seats: '10', sso: 'false' })).toEqual({
      required: 3,
      answered: 3,
      missing: [],
      complete: true,
    });
    expect(draftCompleteness(fields, saved, { domain: '' }).missing).toEqual(['domain', 'seats', 'sso']);
  });
});
