import { describe, expect, test } from 'vitest';
import type { FieldSpec } from '../../api/answers';
import { checkValue, completeness, ruleHint } from './onboarding-rules';

const field = (overrides: Partial<FieldSpec>): FieldSpec => ({
  key: 'k',
  label: 'K',
  type: 'text',
  required: true,
  ...overrides,
});

describe('onboarding rules (as the pipeline applies them)', () => {
  test('text: length in characters people count, and an anchored pattern', () => {
    const code = field({ validation: { min: 2, max: 3, pattern: '[A-Z]+' } });
    expect(checkValue(code, 'AB')).toEqual([]);
    expect(checkValue(code, 'A')).toEqual(['must be at least 2 characters']);
    expect(checkValue(code, 'ABCD')).toEqual(['must be at most 3 characters']);
    expect(checkValue(code, 'AB1')).toEqual(['must match the pattern [A-Z]+']);
    // Two emoji are two characters, though four UTF-16 units.
    expect(checkValue(field({ validation: { max: 2 } }), '😀😀')).toEqual([]);
    expect(checkValue(code, 12)).toEqual(['must be text']);
  });

  test('a broken pattern accepts no answer rather than every answer', () => {
    expect(checkValue(field({ validation: { pattern: '(' } }), 'x')).toEqual([
      'cannot be checked: the question has an invalid pattern',
    ]);
  });

  test('email, url, number, boolean, select', () => {
    expect(checkValue(field({ type: 'email' }), 'a@b.co')).toEqual([]);
    expect(checkValue(field({ type: 'email' }), 'a@b')).toEqual(['must be an email address']);
    expect(checkValue(field({ type: 'url' }), 'https://acme.example')).toEqual([]);
    expect(checkValue(field({ type: 'url' }), 'ftp://acme.example')).toEqual([
      'must be an http or https URL',
    ]);
    const budget = field({ type: 'number', validation: { min: 10, max: 20 } });
    expect(checkValue(budget, 15)).toEqual([]);
    expect(checkValue(budget, 5)).toEqual(['must be at least 10']);
    expect(checkValue(budget, 25)).toEqual(['must be at most 20']);
    expect(checkValue(budget, Number.NaN)).toEqual(['must be a finite number']);
    expect(checkValue(field({ type: 'boolean' }), false)).toEqual([]);
    expect(checkValue(field({ type: 'boolean' }), 'yes')).toEqual(['must be true or false']);
    const plan = field({ type: 'select', validation: { options: ['basic', 'pro'] } });
    expect(checkValue(plan, 'pro')).toEqual([]);
    expect(checkValue(plan, 'gold')).toEqual(['must be one of: basic, pro']);
  });

  test('dates: calendar days and ISO date-times with a zone only', () => {
    const when = field({ type: 'date' });
    expect(checkValue(when, '2026-02-28')).toEqual([]);
    expect(checkValue(when, '2026-02-30')).toHaveLength(1);
    expect(checkValue(when, '2026-02-28T10:00:00Z')).toEqual([]);
    expect(checkValue(when, '2026-02-28T10:00:00+01:00')).toEqual([]);
    expect(checkValue(when, '2026-02-28T10:00:00')).toHaveLength(1);
    expect(checkValue(when, '28/02/2026')).toHaveLength(1);
  });

  test('completeness counts required answers that are present and valid', () => {
    const fields = [
      field({ key: 'domain', type: 'url' }),
      field({ key: 'seats', type: 'number' }),
      field({ key: 'notes', required: false }),
    ];
    expect(completeness(fields, {})).toEqual({
      required: 2,
      answered: 0,
      missing: ['domain', 'seats'],
      complete: false,
    });
    expect(completeness(fields, { domain: 'not a url', seats: 3 })).toEqual({
      required: 2,
      answered: 1,
      missing: ['domain'],
      complete: false,
    });
    expect(completeness(fields, { domain: 'https://a.example', seats: 3, notes: '  ' }).complete).toBe(true);
    // An invalid optional answer keeps the form from being complete, as on the server.
    const strict = [...fields.slice(0, 2), field({ key: 'notes', required: false, validation: { max: 1 } })];
    expect(completeness(strict, { domain: 'https://a.example', seats: 3, notes: 'long' }).complete).toBe(
      false,
    );
  });

  test('each field says its rules in words', () => {
    expect(ruleHint(field({ validation: { min: 2, max: 10, pattern: '[a-z]+' } }))).toBe(
      'Required · 2 to 10 characters · matching [a-z]+',
    );
    expect(ruleHint(field({ type: 'number', required: false, validation: { min: 1 } }))).toBe(
      'Optional · at least 1',
    );
    expect(ruleHint(field({ type: 'select', validation: { options: ['a', 'b'] } }))).toBe(
      'Required · one of a, b',
    );
  });
});
