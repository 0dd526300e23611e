import { describe, expect, test } from 'vitest';
import { searchWith } from './search-params';

describe('links within a template page', () => {
  test('set and remove parameters, keeping the others', () => {
    const params = new URLSearchParams('version=2&run=abc');
    expect(searchWith(params, { run: 'def' })).toBe('?version=2&run=def');
    expect(searchWith(params, { run: undefined })).toBe('?version=2');
    expect(searchWith(params, { version: '', run: undefined })).toBe('');
    expect(searchWith(new URLSearchParams(), { version: 3 })).toBe('?version=3');
  });
});
