import { DEFECT_DECIDERS, FILE_KEEPERS } from '@delivery/contracts';
import { decide } from './decide.js';
import { bob, deepFreeze, projectAt, storedFile } from './decide-fixtures.js';
import { failedFile, reportNames } from './failed-files.js';
import type { ProjectState, StoredFile } from './project-state.js';
import type { Trigger } from './triggers.js';

const report = (id: string, name: string, uploadedBy = bob): StoredFile => ({
  ...storedFile('test_report', name),
  id,
  uploadedBy,
});

const testing = (files: StoredFile[]): ProjectState =>
  deepFreeze({ ...projectAt('4_test', { status: 'running', jobId: 'job-1' }), files });

const finalFailure = (error: string): Trigger => ({
  type: 'job_failed',
  stage: '4_test',
  generation: 1,
  jobId: 'job-1',
  attempt: 1,
  error,
  final: true,
});

describe('which file a stage failed on', () => {
  test('each report goes to the job under a name of its own', () => {
    const names = reportNames([
      report('f1', 'junit.xml'),
      report('f2', 'junit.xml'),
      report('f3', 'unit.xml'),
      storedFile('artifact', 'junit.xml'),
    ]);
    expect([...names]).toEqual([
      ['f1', 'junit.xml (f1)'],
      ['f2', 'junit.xml (f2)'],
      ['f3', 'unit.xml'],
    ]);
  });

  test('names the report the job could not read, also among reports of the same name', () => {
    const project = testing([report('f1', 'junit.xml'), report('f2', 'junit.xml'), report('f3', 'a.xml')]);
    expect(failedFile(project, '4_test', 'test report junit.xml (f2): malformed XML: x')).toEqual({
      file: project.files[1],
      detail: 'malformed XML: x',
    });
    expect(failedFile(project, '4_test', 'test report a.xml: not a JUnit report')?.file.id).toBe('f3');
    // As the job-runner reports it: the handler's error class first.
    expect(failedFile(project, '4_test', 'PermanentJobError: test report a.xml: malformed XML')).toEqual({
      file: project.files[2],
      detail: 'malformed XML',
    });
  });

  test('names no file for a failure that is not the file’s (a fetch, another stage)', () => {
    const project = testing([report('f1', 'junit.xml')]);
    expect(failedFile(project, '4_test', 'cannot fetch test report junit.xml: HTTP 503')).toBeUndefined();
    expect(failedFile(project, '3_build', 'test report junit.xml: malformed XML')).toBeUndefined();
  });

  test('a final failure on a report blocks the stage on that file: its uploader, the manager or an admin replace it', () => {
    const project = testing([report('f1', 'broken.xml')]);
    const { project: after } = decide(
      project,
      finalFailure('test report broken.xml: malformed XML at line 1, column 30: Unexpected close tag.'),
      new Date(),
    );
    expect(after.stages['4_test']).toMatchObject({
      status: 'failed',
      blockedReasons: [
        {
          code: 'file_failed',
          message:
            'The test job could not use the test report "broken.xml" (uploaded by Bob): malformed XML at line 1, ' +
            'column 30: Unexpected close tag. Replace it with a corrected file, or withdraw it; the stage then ' +
            'runs again with the files current at its start',
          whoCanAct: [...FILE_KEEPERS],
          action: 'replace_file',
          file: { id: 'f1', kind: 'test_report', name: 'broken.xml', uploadedBy: bob },
        },
      ],
    });
  });

  test('any other final failure is still the resume it was', () => {
    const { project } = decide(testing([report('f1', 'ok.xml')]), finalFailure('out of memory'), new Date());
    expect(project.stages['4_test'].blockedReasons).toEqual([
      expect.objectContaining({ code: 'job_failed', action: 'manual_resume' }),
    ]);
  });
});

test('defect validation waiting for decisions names the QA leads, the manager and admins', () => {
  const validating = deepFreeze(
    projectAt('5_defect_validation', { status: 'running', jobId: 'job-d', startedAt: new Date() }),
  );
  const { project } = decide(
    validating,
    {
      type: 'job_needs_human',
      stage: '5_defect_validation',
      generation: 1,
      jobId: 'job-d',
      attempt: 1,
      reason: '2 of 3 defects await confirmation',
    },
    new Date(),
  );
  expect(project.stages['5_defect_validation'].blockedReasons).toEqual([
    {
      code: 'defects_undecided',
      message: '2 of 3 defects await confirmation: confirm or reject each defect',
      whoCanAct: [...DEFECT_DECIDERS],
      action: 'decide_defects',
    },
  ]);
  expect(DEFECT_DECIDERS).toEqual(['qa_lead', 'delivery_manager', 'admin']);
});
