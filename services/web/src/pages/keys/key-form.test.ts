import { describe, expect, test } from 'vitest';
import type { ApiKeyView } from '../../api/answers';
import {
  hasProblems,
  initialKeyForm,
  keyUseText,
  newKeyBody,
  newKeyProblems,
  roleChoicesOf,
  toggleRole,
} from './key-form';

const key = (overrides: Partial<ApiKeyView> = {}): ApiKeyView => ({
  id: 'AbCdEfGh12345678',
  name: 'ci',
  roles: ['operator'],
  createdAt: '2026-11-26T10:00:00Z',
  lastUsedAt: null,
  revokedAt: null,
  ...overrides,
});

describe('a new API key', () => {
  test('offers the roles the person holds, all checked at first, never `service`', () => {
    expect(roleChoicesOf(['admin', 'operator', 'service'])).toEqual(['admin', 'operator']);
    expect(initialKeyForm(['admin', 'qa_lead'])).toEqual({ name: '', roles: ['admin', 'qa_lead'] });
  });

  test('roles are checked and unchecked one at a time, without duplicates', () => {
    const form = initialKeyForm(['admin', 'operator']);
    const narrowed = toggleRole(form, 'admin', false);
    expect(narrowed.roles).toEqual(['operator']);
    expect(toggleRole(narrowed, 'operator', true).roles).toEqual(['operator']);
    expect(toggleRole(narrowed, 'admin', true).roles).toEqual(['operator', 'admin']);
  });

  test('needs a name and at least one role', () => {
    const problems = newKeyProblems({ name: '  ', roles: [] });
    expect(problems).toEqual({
      name: 'Give the key a name, e.g. what uses it',
      roles: 'Choose at least one role',
    });
    expect(hasProblems(problems)).toBe(true);
    expect(newKeyProblems({ name: 'x'.repeat(201), roles: ['admin'] }).name).toBe('At most 200 characters');
    expect(hasProblems(newKeyProblems({ name: 'deploy bot', roles: ['operator'] }))).toBe(false);
  });

  test('is asked for with the trimmed name and the chosen roles', () => {
    expect(newKeyBody({ name: ' deploy bot ', roles: ['operator'] })).toEqual({
      name: 'deploy bot',
      roles: ['operator'],
    });
  });
});

describe('a listed key says how it was used', () => {
  const format = (iso: string) => iso.slice(0, 10);
  test('revoked wins over last use', () => {
    expect(
      keyUseText(key({ lastUsedAt: '2026-11-27T00:00:00Z', revokedAt: '2026-11-28T00:00:00Z' }), format),
    ).toBe('revoked 2026-11-28');
    expect(keyUseText(key({ lastUsedAt: '2026-11-27T00:00:00Z' }), format)).toBe('last used 2026-11-27');
    expect(keyUseText(key(), format)).toBe('never used');
  });
});
