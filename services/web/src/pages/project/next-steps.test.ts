import { describe, expect, test } from 'vitest';
import type { BlockedReason, WhyView } from '../../api/answers';
import { nextSteps } from './next-steps';
import type { Permissions } from './permissions';

const everyone: Permissions = {
  manage: true,
  loosenReview: true,
  archive: true,
  restore: false,
  upload: true,
  move: true,
  decideDefects: true,
  operateJobs: true,
};
const nobody: Permissions = {
  manage: false,
  loosenReview: false,
  archive: false,
  restore: false,
  upload: false,
  move: false,
  decideDefects: false,
  operateJobs: false,
};

const reason = (action: string, code = action): BlockedReason => ({
  code,
  message: code,
  whoCanAct: ['delivery_manager'],
  action,
});

const why = (overrides: Partial<WhyView>): WhyView => ({
  projectId: 'p',
  status: 'active',
  stage: '0_sales',
  stageStatus: 'blocked',
  generation: 1,
  summary: '',
  blockedReasons: [],
  note: null,
  blueprintMissing: false,
  approval: null,
  job: null,
  ahead: [],
  ...overrides,
});

describe('what the why panel offers', () => {
  test('each blocking action becomes the control that performs it, then advance', () => {
    expect(nextSteps(why({ blockedReasons: [reason('confirm_sale')] }), everyone)).toEqual([
      { kind: 'confirm_sale' },
      { kind: 'advance' },
    ]);
    expect(
      nextSteps(why({ stage: '1_onboarding', blockedReasons: [reason('save_onboarding')] }), everyone)[0],
    ).toEqual({ kind: 'go', section: 'onboarding', label: 'Answer the onboarding questions' });
    expect(
      nextSteps(why({ stage: '2_assignment', blockedReasons: [reason('assign')] }), everyone)[0],
    ).toEqual({
      kind: 'go',
      section: 'assignment',
      label: 'Choose assignees',
    });
    expect(
      nextSteps(why({ stage: '4_test', blockedReasons: [reason('upload_test_report')] }), everyone)[0],
    ).toEqual({ kind: 'go', section: 'uploads', label: 'Upload a test report' });
  });

  test('several missing artifacts give one upload step', () => {
    const steps = nextSteps(
      why({
        stage: '3_build',
        blockedReasons: [reason('upload_artifact', 'a'), reason('upload_artifact', 'b')],
      }),
      everyone,
    );
    expect(steps).toEqual([
      { kind: 'go', section: 'uploads', label: 'Upload the missing artifacts' },
      { kind: 'advance' },
    ]);
  });

  test('a failed or sent back stage resumes; a job waiting for a person resumes, or asks for defect decisions', () => {
    expect(
      nextSteps(why({ stage: '3_build', blockedReasons: [reason('manual_resume')] }), everyone)[0],
    ).toEqual({
      kind: 'resume',
      label: 'Resume stage',
    });
    expect(nextSteps(why({ stage: '3_build', blockedReasons: [reason('resume_job')] }), everyone)[0]).toEqual(
      {
        kind: 'resume',
        label: 'Resume job',
      },
    );
    expect(
      nextSteps(
        why({ stage: '5_defect_validation', blockedReasons: [reason('decide_defects')] }),
        everyone,
      )[0],
    ).toEqual({ kind: 'go', section: 'stage-job', label: 'Decide on the defects' });
  });

  test('defects are offered to whoever may decide them (a QA lead), not to whoever may move the project', () => {
    const defects = why({ stage: '5_defect_validation', blockedReasons: [reason('decide_defects')] });
    expect(nextSteps(defects, { ...nobody, decideDefects: true })).toEqual([
      { kind: 'go', section: 'stage-job', label: 'Decide on the defects' },
    ]);
    expect(nextSteps(defects, { ...nobody, move: true })).toEqual([{ kind: 'advance' }]);
  });

  test('waiting on approvers or the system offers only advance', () => {
    const steps = nextSteps(why({ blockedReasons: [reason('approve'), reason('wait')] }), everyone);
    expect(steps).toEqual([{ kind: 'advance' }]);
  });

  test('nothing the person may not do, and nothing on a closed project', () => {
    const all = [reason('confirm_sale'), reason('upload_artifact'), reason('manual_resume')];
    expect(nextSteps(why({ blockedReasons: all }), nobody)).toEqual([]);
    expect(nextSteps(why({ blockedReasons: all }), { ...nobody, upload: true })).toEqual([
      { kind: 'go', section: 'uploads', label: 'Upload the missing artifacts' },
    ]);
    expect(nextSteps(why({ status: 'completed', blockedReasons: all }), everyone)).toEqual([]);
  });
});
