import { applyDecisions, dedupeDefects, normalizeMessage } from './dedupe.js';
import type { Defect } from './defect.js';

const defect = (over: Partial<Defect>): Defect => ({
  fingerprint: 'fp',
  suite: 'S',
  classname: 'C',
  testCase: 't',
  type: 'failure',
  message: 'boom',
  details: '',
  ...over,
});

describe('normalizeMessage', () => {
  it('drops numbers, hex ids, uuids and whitespace but keeps words', () => {
    expect(normalizeMessage('Expected 3 but was 4 (Order@1f2e3d4c)')).toBe(
      normalizeMessage('expected  5 but was 70\n(Order@9a8b7c6d)'),
    );
    expect(normalizeMessage('id 550e8400-e29b-41d4-a716-446655440000 at 0xDEADBEEF')).toBe('idat');
    // An all-letter word that happens to be hex is a word, not an id.
    expect(normalizeMessage('facade failed')).toBe('facadefailed');
  });
});

describe('dedupeDefects', () => {
  it('merges by fingerprint or by suite + case + normalized message, chaining links', () => {
    const groups = dedupeDefects([
      defect({ fingerprint: 'a', message: 'timeout after 300 ms' }),
      defect({ fingerprint: 'b', testCase: 'other', message: 'x' }),
      defect({ fingerprint: 'a', message: 'something else entirely' }),
      defect({ fingerprint: 'c', message: 'timeout after 500 ms' }),
      defect({ fingerprint: 'd', message: 'Something else entirely ' }),
      defect({ fingerprint: 'e', suite: 'Other', message: 'timeout after 300 ms' }),
    ]);
    expect(groups.map((g) => [g.defect.fingerprint, g.fingerprints, g.occurrences])).toEqual([
      ['a', ['a', 'c', 'd'], 4],
      ['b', ['b'], 1],
      ['e', ['e'], 1],
    ]);
  });

  it('applies a decision given for any fingerprint of a group', () => {
    const groups = dedupeDefects([
      defect({ fingerprint: 'a', message: 'n=1' }),
      defect({ fingerprint: 'b', message: 'n=2' }),
      defect({ fingerprint: 'z', testCase: 'z' }),
    ]);
    const validated = applyDecisions(groups, { b: 'rejected' });
    expect(validated.map((d) => [d.fingerprint, d.status, d.occurrences])).toEqual([
      ['a', 'rejected', 2],
      ['z', 'unconfirmed', 1],
    ]);
    expect(applyDecisions(groups, { a: 'confirmed', b: 'rejected' })[0]?.status).toBe('confirmed');
  });
});
