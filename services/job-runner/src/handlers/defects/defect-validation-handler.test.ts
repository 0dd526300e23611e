import { contextFor } from '../fixtures/job.js';
import { PermanentJobError } from '../handler.js';
import { createDefectValidationHandler } from './defect-validation-handler.js';

const handler = createDefectValidationHandler();
const d = (fingerprint: string, testCase: string, message: string) => ({
  fingerprint,
  suite: 'S',
  classname: 'C',
  testCase,
  type: 'failure',
  message,
  details: '',
});
const defects = [
  d('f1', 'a', 'expected 1'),
  d('f2', 'a', 'expected 2'),
  d('f3', 'b', 'nope'),
  d('f3', 'b', 'nope'),
  d('f4', 'c', 'x'),
];

describe('defect_validation handler', () => {
  it('waits for a person while any deduped defect is unconfirmed', async () => {
    const result = await handler(
      contextFor('defect_validation', { defects, decisions: { f3: 'confirmed' } }),
    );
    expect(result).toMatchObject({
      outcome: 'needs_human',
      reason: '2 of 3 defects await confirmation',
      result: { unconfirmed: 2, confirmed: 1, rejected: 0 },
    });
    const listed = (result.result as { defects: Array<{ fingerprint: string; occurrences: number }> })
      .defects;
    expect(listed.map((x) => [x.fingerprint, x.occurrences])).toEqual([
      ['f1', 2],
      ['f3', 2],
      ['f4', 1],
    ]);
  });

  it('succeeds once every defect is decided, and with no defects at all', async () => {
    const decisions = { f2: 'rejected', f3: 'confirmed', f4: 'confirmed' };
    await expect(handler(contextFor('defect_validation', { defects, decisions }))).resolves.toMatchObject({
      outcome: 'success',
      result: { unconfirmed: 0, confirmed: 2, rejected: 1 },
    });
    await expect(handler(contextFor('defect_validation', { defects: [] }))).resolves.toMatchObject({
      outcome: 'success',
    });
  });

  it('fails permanently on an invalid payload, naming the paths', async () => {
    const run = handler(
      contextFor('defect_validation', { defects: [{ fingerprint: 'x' }], decisions: { x: 'maybe' } }),
    );
    await expect(run).rejects.toThrow(PermanentJobError);
    await expect(run).rejects.toThrow(/defects\.0\.suite.*decisions\.x/);
  });
});
