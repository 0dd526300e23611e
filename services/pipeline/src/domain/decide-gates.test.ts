import { alice, at, bob, projectAt } from './decide-fixtures.js';
import { askGate, changed, enqueue, jobOf, passed, Walk } from './decide-walk.js';
import type { Trigger } from './triggers.js';

describe('gates', () => {
  test('a before gate on 3_build stops it until the approval is granted', () => {
    const walk = new Walk(projectAt('3_build'));
    expect(walk.step({ type: 'artifact_upload', actor: bob })).toEqual([
      changed('3_build', 1, 'pending', 'ready', 'artifact_upload', bob),
      askGate('3_build', 1, 'before', bob),
    ]);
    const requested: Trigger = {
      type: 'approval_requested',
      stage: '3_build',
      generation: 1,
      point: 'before',
      approvalId: 'ap-1',
    };
    // Only now that an approval exists does the stage await one.
    expect(walk.step(requested)).toEqual([
      changed('3_build', 1, 'ready', 'awaiting_approval', 'approval_requested'),
    ]);
    expect(walk.stage('3_build')).toMatchObject({
      status: 'awaiting_approval',
      approvalId: 'ap-1',
      blockedReasons: [
        {
          code: 'approval_pending',
          message: 'Waiting for the approval to start the build stage',
          whoCanAct: ['approver'],
          action: 'approve',
        },
      ],
    });
    walk.ignored({ type: 'manual_advance', actor: alice });
    walk.ignored({ type: 'job_started', ...jobOf('3_build', 'job-x') });
    expect(
      walk.step({
        type: 'approval_granted',
        stage: '3_build',
        generation: 1,
        point: 'before',
        approvalId: 'ap-1',
        approvers: [alice],
      }),
    ).toEqual([
      changed('3_build', 1, 'awaiting_approval', 'running', 'approval_granted', alice),
      enqueue('3_build', 1, 'build'),
    ]);
    expect(walk.stage('3_build')).toMatchObject({ status: 'running', blockedReasons: [], gatePoint: null });
  });

  test('an after review sent back re-runs the stage as generation 2 on the next trigger', () => {
    const walk = new Walk(projectAt('3_build', { status: 'running', jobId: 'job-1', startedAt: at(0) }));
    walk.step({ type: 'job_succeeded', ...jobOf('3_build', 'job-1'), result: { manifest: 1 } });
    walk.step({
      type: 'approval_requested',
      stage: '3_build',
      generation: 1,
      point: 'after',
      approvalId: 'ap-1',
    });
    const sendBack: Trigger = {
      type: 'approval_sent_back',
      stage: '3_build',
      generation: 1,
      point: 'after',
      approvalId: 'ap-1',
      by: bob,
      comment: 'The footer is missing',
    };
    expect(walk.step(sendBack)).toEqual([
      changed('3_build', 1, 'awaiting_approval', 'sent_back', 'approval_sent_back', bob),
    ]);
    expect(walk.stage('3_build')).toMatchObject({
      status: 'sent_back',
      note: 'The footer is missing',
      blockedReasons: [{ code: 'sent_back', message: 'The footer is missing', action: 'rework' }],
    });

    expect(walk.step({ type: 'artifact_upload', actor: alice })).toEqual([
      changed('3_build', 2, 'sent_back', 'ready', 'artifact_upload', alice),
      askGate('3_build', 2, 'before', alice),
    ]);
    expect(walk.stage('3_build')).toMatchObject({ generation: 2, note: null, jobId: null, approvalId: null });
    // Generation 1's outcomes are stale now.
    walk.ignored(passed('3_build', 'before', 1));
    walk.ignored({ type: 'job_succeeded', ...jobOf('3_build', 'job-1'), result: {} });
    walk.ignored(sendBack);
    expect(walk.step(passed('3_build', 'before', 2))).toEqual([
      changed('3_build', 2, 'ready', 'running', 'gate_passed'),
      enqueue('3_build', 2, 'build'),
    ]);
  });

  test('an expired approval blocks the stage until a manual resume asks again, in the same generation', () => {
    const walk = new Walk(projectAt('3_build', { status: 'ready', gatePoint: 'before' }));
    walk.step({
      type: 'approval_requested',
      stage: '3_build',
      generation: 1,
      point: 'before',
      approvalId: 'ap-1',
    });
    const expired: Trigger = {
      type: 'approval_expired',
      stage: '3_build',
      generation: 1,
      point: 'before',
      approvalId: 'ap-1',
    };
    expect(walk.step(expired)).toEqual([
      changed('3_build', 1, 'awaiting_approval', 'blocked', 'approval_expired'),
    ]);
    expect(walk.stage('3_build')).toMatchObject({
      gatePoint: 'before',
      blockedReasons: [{ code: 'approval_expired' }],
    });
    // Only the delivery manager's resume asks again, not an upload or an advance.
    walk.ignored({ type: 'artifact_upload', actor: bob });
    walk.ignored({ type: 'manual_advance', actor: bob });

    expect(walk.step({ type: 'manual_resume', actor: alice })).toEqual([
      changed('3_build', 1, 'blocked', 'ready', 'manual_resume', alice),
      askGate('3_build', 1, 'before', alice),
    ]);
    walk.step({
      type: 'approval_requested',
      stage: '3_build',
      generation: 1,
      point: 'before',
      approvalId: 'ap-2',
    });
    // The first approval's expiry, delivered late, is about an approval the stage no longer waits on.
    walk.ignored(expired);
    expect(
      walk.step({
        type: 'approval_granted',
        stage: '3_build',
        generation: 1,
        point: 'before',
        approvalId: 'ap-2',
        approvers: [alice],
      }),
    ).toEqual([
      changed('3_build', 1, 'awaiting_approval', 'running', 'approval_granted', alice),
      enqueue('3_build', 1, 'build'),
    ]);
  });
});
