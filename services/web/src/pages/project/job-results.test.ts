import { describe, expect, test } from 'vitest';
import {
  buildManifestOf,
  decisionsInput,
  defectsOf,
  defectsToDecide,
  initialChoices,
  testSummaryOf,
  undecided,
} from './job-results';

const reported = (fingerprint: string, testCase: string) => ({
  fingerprint,
  suite: 'site',
  classname: 'site.Checkout',
  testCase,
  type: 'failure',
  message: 'expected 200, got 500',
  details: '',
});

describe('stage job results', () => {
  test('a build manifest and a test summary are recognised by their shape', () => {
    const manifest = { ok: false, checkedAt: '2026-11-26T10:00:00Z', artifacts: [{ name: 'site.zip' }] };
    expect(buildManifestOf(manifest)).toBe(manifest);
    expect(buildManifestOf({ summary: {} })).toBeUndefined();
    expect(testSummaryOf({ summary: { tests: 2, passed: 1 }, defects: [] })?.suites).toEqual([]);
    expect(testSummaryOf(manifest)).toBeUndefined();
  });

  test('defects from a test result start unconfirmed; entries without a fingerprint are dropped', () => {
    const defects = defectsOf({ defects: [reported('fp-1', 'refunds'), { testCase: 'no fingerprint' }] });
    expect(defects).toEqual([
      {
        fingerprint: 'fp-1',
        suite: 'site',
        classname: 'site.Checkout',
        testCase: 'refunds',
        type: 'failure',
        message: 'expected 200, got 500',
        details: '',
        occurrences: 1,
        status: 'unconfirmed',
      },
    ]);
  });

  test("defect validation's own list (deduplicated, with decisions) wins over the test stage's", () => {
    const testOutput = { summary: { tests: 3 }, defects: [reported('fp-1', 'a'), reported('fp-2', 'b')] };
    const validation = {
      defects: [{ ...reported('fp-1', 'a'), occurrences: 2, status: 'confirmed' }],
      unconfirmed: 0,
    };
    expect(
      defectsToDecide(validation, testOutput).map((d) => [d.fingerprint, d.status, d.occurrences]),
    ).toEqual([['fp-1', 'confirmed', 2]]);
    expect(defectsToDecide(null, testOutput).map((d) => d.fingerprint)).toEqual(['fp-1', 'fp-2']);
    expect(defectsToDecide(undefined, undefined)).toEqual([]);
  });

  test('the resume input carries a decision per decided defect, keyed by fingerprint', () => {
    const defects = defectsToDecide(null, {
      defects: [reported('fp-1', 'a'), reported('fp-2', 'b'), reported('fp-3', 'c')],
    });
    const choices = {
      ...initialChoices(defects),
      'fp-1': 'confirmed' as const,
      'fp-3': 'rejected' as const,
      stray: 'confirmed' as const,
    };
    expect(decisionsInput(defects, choices)).toEqual({
      decisions: { 'fp-1': 'confirmed', 'fp-3': 'rejected' },
    });
    expect(undecided(defects, choices)).toBe(1);
  });

  test('decisions already recorded are the starting choices', () => {
    const defects = defectsOf({
      defects: [
        { ...reported('fp-1', 'a'), status: 'rejected' },
        { ...reported('fp-2', 'b'), status: 'unconfirmed' },
      ],
    });
    expect(initialChoices(defects ?? [])).toEqual({ 'fp-1': 'rejected' });
  });
});
