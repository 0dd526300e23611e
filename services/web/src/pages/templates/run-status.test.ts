import { describe, expect, test } from 'vitest';
import type { BlueprintStatus } from '../../api/answers';
import { blueprintStateText, durationText, generateOutcomeText, isActiveRun } from './run-status';

const status = (overrides: Partial<BlueprintStatus>): BlueprintStatus => ({
  templateId: 't',
  templateVersion: 2,
  status: 'succeeded',
  latestRun: null,
  blueprint: null,
  blueprintStale: false,
  ...overrides,
});

describe('blueprint status', () => {
  test('queued and running runs are still active; finished ones are not', () => {
    expect(['queued', 'running'].every((s) => isActiveRun(s as 'queued'))).toBe(true);
    expect(['succeeded', 'failed', 'canceled', 'none'].some((s) => isActiveRun(s as 'none'))).toBe(false);
  });

  test('says whether the blueprint is current, stale or missing', () => {
    expect(blueprintStateText(status({ blueprint: { templateVersion: 1, runId: 'r' } }))).toBe(
      'Current blueprint for version 1.',
    );
    expect(blueprintStateText(status({ blueprintStale: true }))).toMatch(/stale.*Generate it again/);
    expect(blueprintStateText(status({ status: 'none' }))).toBe('No blueprint yet.');
  });

  test.each([
    [850, '850 ms'],
    [2_340, '2.3 s'],
    [65_000, '1 min 5 s'],
    [null, ''],
  ])('a run of %s ms reads %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});

describe('asking for a blueprint', () => {
  test('says whether it started a run or found one already under way', () => {
    expect(generateOutcomeText({ id: 'new', status: 'queued' }, 'old')).toBe(
      'Blueprint run queued: a worker will generate it.',
    );
    expect(generateOutcomeText({ id: 'old', status: 'running' }, 'old')).toBe(
      'A run is already running; showing it.',
    );
    expect(generateOutcomeText({ id: 'new', status: 'queued' }, undefined)).toMatch(/^Blueprint run queued/);
  });
});
