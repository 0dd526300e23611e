import { decide } from './decide.js';
import { alice, bob, deepFreeze, projectAt, storedFile } from './decide-fixtures.js';
import { isRefused } from './fact-changes.js';
import { replaceFile, withdrawFile } from './file-changes.js';
import type { ProjectState, StoredFile } from './project-state.js';

const broken: StoredFile = { ...storedFile('test_report', 'broken.xml'), id: 'file-broken', size: 40 };
const good: StoredFile = {
  ...storedFile('test_report', 'good.xml'),
  id: 'file-good',
  size: 60,
  uploadedBy: bob,
};
const other: StoredFile = { ...storedFile('test_report', 'other.xml'), id: 'file-other' };

/** 4_test generation 1 failed on `broken.xml`; `other.xml` is a second report. */
const failedAtTest = (): ProjectState => {
  const project = projectAt('4_test', {
    status: 'failed',
    jobId: 'job-1',
    note: 'test report broken.xml: …',
  });
  return deepFreeze({ ...project, files: [...project.files, broken, other] });
};

describe('replacing a file', () => {
  test('the replacement takes the old file’s place; the rest stays', () => {
    const replaced = replaceFile(failedAtTest(), broken.id, good, { maxBytes: 1_000 });
    if (isRefused(replaced)) throw new Error(replaced.message);
    expect(replaced.files.map((file) => file.id)).toEqual(['file-site.zip', 'file-good', 'file-other']);
  });

  test('is refused when the file is gone meanwhile, the project closed, or the bytes over the quota', () => {
    expect(replaceFile(failedAtTest(), 'file-nope', good, { maxBytes: 1_000 })).toMatchObject({
      refused: 'conflict',
      details: { code: 'file_gone', fileId: 'file-nope' },
    });
    const archived = { ...failedAtTest(), status: 'archived' as const };
    expect(replaceFile(archived, broken.id, good, { maxBytes: 1_000 })).toMatchObject({
      refused: 'conflict',
      details: { status: 'archived' },
    });
    // 10 + 40 + 10 held; the old 40 leave, 60 come: 80 fits in 80, not in 79.
    expect(isRefused(replaceFile(failedAtTest(), broken.id, good, { maxBytes: 80 }))).toBe(false);
    expect(replaceFile(failedAtTest(), broken.id, good, { maxBytes: 79 })).toMatchObject({
      refused: 'conflict',
      details: { code: 'upload_quota_exceeded' },
    });
  });

  test('re-runs the failed stage as a new generation with the files current at its start', () => {
    const before = failedAtTest();
    const replaced = replaceFile(before, broken.id, good, { maxBytes: 1_000 });
    if (isRefused(replaced)) throw new Error(replaced.message);
    const { project, intents } = decide(
      replaced,
      { type: 'file_replaced', actor: alice },
      new Date(),
      before,
    );
    expect(project.stages['4_test']).toMatchObject({
      status: 'ready',
      generation: 2,
      note: 'the test reports changed after generation 1 failed: running again with them',
    });
    expect(intents).toContainEqual(
      expect.objectContaining({ type: 'evaluate_gate', stage: '4_test', generation: 2, point: 'before' }),
    );
  });
});

describe('withdrawing a file', () => {
  test('the file leaves the project; the failed stage runs again with the reports left', () => {
    const before = failedAtTest();
    const withdrawn = withdrawFile(before, broken.id);
    if (isRefused(withdrawn)) throw new Error(withdrawn.message);
    expect(withdrawn.files.map((file) => file.id)).toEqual(['file-site.zip', 'file-other']);
    const { project } = decide(withdrawn, { type: 'file_withdrawn', actor: alice }, new Date(), before);
    expect(project.stages['4_test']).toMatchObject({ status: 'ready', generation: 2 });
  });

  test('withdrawing the only report leaves the new generation waiting for one', () => {
    const only = deepFreeze({ ...failedAtTest(), files: [storedFile('artifact', 'site.zip'), broken] });
    const withdrawn = withdrawFile(only, broken.id);
    if (isRefused(withdrawn)) throw new Error(withdrawn.message);
    const { project } = decide(withdrawn, { type: 'file_withdrawn', actor: alice }, new Date(), only);
    expect(project.stages['4_test']).toMatchObject({
      status: 'blocked',
      generation: 2,
      blockedReasons: [{ code: 'test_report_missing' }],
    });
  });

  test('a file already gone is a conflict, not a silent success', () => {
    expect(withdrawFile(failedAtTest(), 'file-nope')).toMatchObject({ refused: 'conflict' });
  });
});
