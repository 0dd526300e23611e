import type { Stage } from '@delivery/contracts';
import { decide } from './decide.js';
import { alice, at, bob, deepFreeze, projectAt } from './decide-fixtures.js';
import { askGate, changed, enqueue, jobOf, passed, Walk } from './decide-walk.js';
import type { StageState } from './project-state.js';
import type { Trigger } from './triggers.js';

describe('jobs', () => {
  const validating = () =>
    new Walk({
      ...projectAt('5_defect_validation', { status: 'running', startedAt: at(0) }),
      outputs: { '4_test': { defects: [{ id: 'D-1' }] } },
    });

  test('a job that needs a person waits for them; resuming carries their input to the job', () => {
    const walk = validating();
    walk.step({ type: 'job_started', ...jobOf('5_defect_validation', 'job-d') });
    expect(
      walk.step({
        type: 'job_needs_human',
        ...jobOf('5_defect_validation', 'job-d'),
        reason: 'Confirm defect D-1',
      }),
    ).toEqual([changed('5_defect_validation', 1, 'running', 'needs_human', 'job_needs_human')]);
    expect(walk.stage('5_defect_validation')).toMatchObject({ note: 'Confirm defect D-1', jobId: 'job-d' });
    walk.ignored({ type: 'manual_advance', actor: alice });

    expect(walk.step({ type: 'manual_resume', actor: bob, input: { confirmed: ['D-1'] } })).toEqual([
      changed('5_defect_validation', 1, 'needs_human', 'running', 'manual_resume', bob),
      { type: 'resume_job', stage: '5_defect_validation', jobId: 'job-d', input: { confirmed: ['D-1'] } },
    ]);
    expect(walk.stage('5_defect_validation')).toMatchObject({
      generation: 1,
      blockedReasons: [],
      note: null,
    });
    expect(walk.step({ type: 'job_started', ...jobOf('5_defect_validation', 'job-d', 1, 2) })).toEqual([]);
    expect(
      walk.step({
        type: 'job_succeeded',
        ...jobOf('5_defect_validation', 'job-d', 1, 2),
        result: { confirmed: 1 },
      }),
    ).toEqual([askGate('5_defect_validation', 1, 'after')]);
  });

  test('retries keep the stage running with the last error as its note, until the job succeeds', () => {
    const walk = validating();
    walk.step({ type: 'job_started', ...jobOf('5_defect_validation', 'job-d') });
    const retry: Trigger = {
      type: 'job_retry_scheduled',
      ...jobOf('5_defect_validation', 'job-d'),
      error: 'connection reset',
      nextRunAt: at(5).toISOString(),
    };
    expect(walk.step(retry)).toEqual([]);
    expect(walk.stage('5_defect_validation')).toMatchObject({
      status: 'running',
      note: 'connection reset',
      blockedReasons: [],
    });
    expect(walk.step({ type: 'job_started', ...jobOf('5_defect_validation', 'job-d', 1, 2) })).toEqual([]);
    walk.step({ type: 'job_succeeded', ...jobOf('5_defect_validation', 'job-d', 1, 2), result: {} });
    expect(walk.stage('5_defect_validation')).toMatchObject({
      status: 'running',
      gatePoint: 'after',
      note: null,
    });
  });

  test('a failed job fails the stage; a manual resume re-runs it as generation 2 with a new job key', () => {
    const walk = new Walk(projectAt('3_build', { status: 'running', startedAt: at(0) }));
    const failed: Trigger = {
      type: 'job_failed',
      ...jobOf('3_build', 'job-1'),
      error: 'disk full',
      final: true,
    };
    expect(walk.step(failed)).toEqual([changed('3_build', 1, 'running', 'failed', 'job_failed')]);
    expect(walk.stage('3_build')).toMatchObject({ status: 'failed', note: 'disk full', jobId: 'job-1' });
    walk.ignored({ type: 'artifact_upload', actor: bob });

    expect(walk.step({ type: 'manual_resume', actor: alice })).toEqual([
      changed('3_build', 2, 'failed', 'ready', 'manual_resume', alice),
      askGate('3_build', 2, 'before', alice),
    ]);
    expect(walk.stage('3_build')).toMatchObject({
      jobId: null,
      note: null,
      blockedReasons: [],
      startedAt: null,
    });
    expect(walk.step(passed('3_build', 'before', 2))).toEqual([
      changed('3_build', 2, 'ready', 'running', 'gate_passed'),
      enqueue('3_build', 2, 'build'),
    ]);
    walk.ignored(failed);
    walk.ignored({ type: 'job_succeeded', ...jobOf('3_build', 'job-1'), result: {} });
  });

  test('a canceled job fails the stage the same way, and a resume that finds the contract broken blocks', () => {
    const walk = new Walk(projectAt('3_build', { status: 'running', jobId: 'job-1' }));
    expect(walk.step({ type: 'job_canceled', ...jobOf('3_build', 'job-1') })).toEqual([
      changed('3_build', 1, 'running', 'failed', 'job_canceled'),
    ]);
    expect(walk.stage('3_build').note).toBe('the job was canceled');
    walk.fact({ files: [] });
    expect(walk.step({ type: 'manual_resume', actor: alice })).toEqual([
      changed('3_build', 2, 'failed', 'blocked', 'manual_resume', alice),
    ]);
    expect(walk.stage('3_build').blockedReasons.map((reason) => reason.code)).toEqual(['artifact_missing']);
  });
});

describe('stale triggers change nothing', () => {
  const atGeneration2 = (state: Partial<StageState>) =>
    deepFreeze(projectAt('3_build', { ...state, generation: 2 }));
  const cases: [string, Partial<StageState>, (stage: Stage, generation: number) => Trigger][] = [
    [
      'gate_passed',
      { status: 'awaiting_approval', gatePoint: 'before' },
      (stage, generation) => passed(stage, 'before', generation),
    ],
    [
      'approval_requested',
      { status: 'awaiting_approval', gatePoint: 'after' },
      (stage, generation) => ({
        type: 'approval_requested',
        stage,
        generation,
        point: 'after',
        approvalId: 'ap-1',
      }),
    ],
    [
      'approval_sent_back',
      { status: 'awaiting_approval', gatePoint: 'after' },
      (stage, generation) => ({
        type: 'approval_sent_back',
        stage,
        generation,
        point: 'after',
        approvalId: 'ap-1',
        by: bob,
        comment: 'no',
      }),
    ],
    [
      'approval_expired',
      { status: 'awaiting_approval', gatePoint: 'after', approvalId: 'ap-1' },
      (stage, generation) => ({
        type: 'approval_expired',
        stage,
        generation,
        point: 'after',
        approvalId: 'ap-1',
      }),
    ],
    [
      'job_started',
      { status: 'running' },
      (stage, generation) => ({ type: 'job_started', ...jobOf(stage, 'j', generation) }),
    ],
    [
      'job_succeeded',
      { status: 'running' },
      (stage, generation) => ({ type: 'job_succeeded', ...jobOf(stage, 'j', generation), result: {} }),
    ],
    [
      'job_failed',
      { status: 'running' },
      (stage, generation) => ({
        type: 'job_failed',
        ...jobOf(stage, 'j', generation),
        error: 'x',
        final: true,
      }),
    ],
    [
      'job_needs_human',
      { status: 'running' },
      (stage, generation) => ({ type: 'job_needs_human', ...jobOf(stage, 'j', generation), reason: 'x' }),
    ],
    [
      'job_canceled',
      { status: 'running' },
      (stage, generation) => ({ type: 'job_canceled', ...jobOf(stage, 'j', generation) }),
    ],
  ];

  test.each(cases)('%s of an older generation or of another stage', (_name, state, trigger) => {
    const project = atGeneration2(state);
    // The current generation's trigger acts, so the ones below are ignored for being stale alone.
    expect(decide(project, trigger('3_build', 2), at(1)).project).not.toBe(project);
    expect(decide(project, trigger('3_build', 1), at(1))).toEqual({ project, intents: [] });
    expect(decide(project, trigger('2_assignment', 2), at(1))).toEqual({ project, intents: [] });
    expect(decide(project, trigger('4_test', 2), at(1))).toEqual({ project, intents: [] });
  });
});
