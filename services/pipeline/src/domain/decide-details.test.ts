import { PIPELINE_ACTOR } from '@delivery/contracts';
import { decide, initialStages, jobIdempotencyKey } from './decide.js';
import { alice, at, bob, deepFreeze, projectAt } from './decide-fixtures.js';

const NOW = at(30);
const STAGE = '3_build';
const gate = { stage: STAGE, generation: 1 } as const;
const job = { stage: STAGE, generation: 1, jobId: 'job-1', attempt: 1 } as const;
const running = () => deepFreeze(projectAt(STAGE, { status: 'running', startedAt: at(1) }));
const awaitingReview = () =>
  deepFreeze(projectAt(STAGE, { status: 'awaiting_approval', gatePoint: 'after', approvalId: 'ap-1' }));

describe('decide: the details the table leaves out', () => {
  test('a successful job stores its result as the stage output; one that returned nothing stores null', () => {
    const withResult = decide(running(), { type: 'job_succeeded', ...job, result: { ok: 1 } }, NOW);
    expect(withResult.project.outputs).toEqual({ [STAGE]: { ok: 1 } });
    const without = decide(running(), { type: 'job_succeeded', ...job, result: undefined }, NOW);
    expect(without.project.outputs).toEqual({ [STAGE]: null });
  });

  test('the reasons a stage gives while it waits on people or on its job', () => {
    const sent = decide(
      awaitingReview(),
      {
        type: 'approval_sent_back',
        ...gate,
        point: 'after',
        approvalId: 'ap-1',
        by: bob,
        comment: 'needs a footer',
      },
      NOW,
    );
    expect(sent.project.stages[STAGE].blockedReasons).toEqual([
      {
        code: 'sent_back',
        message: 'needs a footer',
        whoCanAct: ['assignee', 'delivery_manager'],
        action: 'rework',
      },
    ]);
    const expired = decide(
      awaitingReview(),
      { type: 'approval_expired', ...gate, point: 'after', approvalId: 'ap-1' },
      NOW,
    );
    expect(expired.project.stages[STAGE].blockedReasons).toEqual([
      {
        code: 'approval_expired',
        message:
          "Nobody decided on the review of the build stage's output before it expired; resume the stage to ask again",
        whoCanAct: ['delivery_manager'],
        action: 'manual_resume',
      },
    ]);
    const failedJob = decide(running(), { type: 'job_failed', ...job, error: 'disk full', final: true }, NOW);
    expect(failedJob.project.stages[STAGE].blockedReasons).toEqual([
      {
        code: 'job_failed',
        message: 'The build job failed: disk full. Resume the stage to run it again',
        whoCanAct: ['operator', 'delivery_manager'],
        action: 'manual_resume',
      },
    ]);
    const stuck = decide(running(), { type: 'job_needs_human', ...job, reason: 'confirm D-1' }, NOW);
    expect(stuck.project.stages[STAGE].blockedReasons).toEqual([
      {
        code: 'needs_human',
        message: 'confirm D-1',
        whoCanAct: ['assignee', 'delivery_manager'],
        action: 'resume_job',
      },
    ]);
    const canceledJob = decide(running(), { type: 'job_canceled', ...job }, NOW);
    expect(canceledJob.project.stages[STAGE].blockedReasons).toEqual([
      {
        code: 'job_canceled',
        message: 'The build job was canceled. Resume the stage to run it again',
        whoCanAct: ['operator', 'delivery_manager'],
        action: 'manual_resume',
      },
    ]);
  });

  test('a resumed job without input gets an empty one', () => {
    const { intents } = decide(
      deepFreeze(projectAt(STAGE, { status: 'needs_human', jobId: 'job-1' })),
      { type: 'manual_resume', actor: alice },
      NOW,
    );
    expect(intents.at(-1)).toEqual({ type: 'resume_job', stage: STAGE, jobId: 'job-1', input: {} });
  });

  test('a blocked stage whose reasons changed keeps its status: new reasons, no status change', () => {
    const outdated = {
      code: 'artifact_missing',
      message: 'Upload',
      whoCanAct: ['assignee' as const],
      action: 'upload',
    };
    const stillMissing = deepFreeze({
      ...projectAt(STAGE, { status: 'blocked', blockedReasons: [outdated] }),
      files: [],
    });
    const decision = decide(stillMissing, { type: 'manual_advance', actor: alice }, NOW);
    expect(decision.intents).toEqual([]);
    expect(decision.project.stages[STAGE]).toMatchObject({
      status: 'blocked',
      updatedAt: NOW,
      blockedReasons: [
        {
          code: 'artifact_missing',
          message: 'Upload the required artifact "site.zip"',
          whoCanAct: ['assignee'],
          action: 'upload_artifact',
        },
      ],
    });
    expect(decide(decision.project, { type: 'artifact_upload', actor: alice }, at(31)).project).toBe(
      decision.project,
    );
  });

  test('a stage without a job is done the moment its before gate passes: its after gate is asked at once', () => {
    const project = deepFreeze(projectAt('2_assignment', { status: 'ready', gatePoint: 'before' }));
    const decision = decide(
      project,
      { type: 'gate_passed', stage: '2_assignment', generation: 1, point: 'before', approvalId: null },
      NOW,
    );
    // Its work is done while its review is asked about: running, not awaiting an approval nobody opened.
    expect(decision.project.stages['2_assignment']).toMatchObject({
      status: 'running',
      gatePoint: 'after',
      startedAt: NOW,
    });
    expect(decision.intents).toEqual([
      {
        type: 'stage_changed',
        stage: '2_assignment',
        generation: 1,
        from: 'ready',
        to: 'running',
        trigger: 'gate_passed',
        actor: null,
      },
      {
        type: 'evaluate_gate',
        stage: '2_assignment',
        generation: 1,
        point: 'after',
        requestedBy: PIPELINE_ACTOR,
      },
    ]);
  });

  test('the job idempotency key names the project, the stage and the generation', () => {
    expect(jobIdempotencyKey('p-9', '4_test', 3)).toBe('p-9:4_test:3');
  });

  test('initial stages: all pending in their first generation, nothing recorded', () => {
    const stages = initialStages();
    expect(Object.keys(stages)).toEqual([
      '0_sales',
      '1_onboarding',
      '2_assignment',
      '3_build',
      '4_test',
      '5_defect_validation',
      '6_complete',
    ]);
    for (const state of Object.values(stages)) {
      expect(state).toEqual({
        status: 'pending',
        generation: 1,
        blockedReasons: [],
        gatePoint: null,
        approvalId: null,
        jobId: null,
        note: null,
        startedAt: null,
        finishedAt: null,
        updatedAt: null,
      });
    }
    // Each stage its own value, so that changing one cannot change another.
    expect(stages['0_sales']).not.toBe(stages['1_onboarding']);
  });
});
