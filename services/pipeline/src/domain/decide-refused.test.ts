import { decide } from './decide.js';
import { alice, at, bob, deepFreeze, projectAt, storedFile } from './decide-fixtures.js';
import { askGate, changed, enqueue, jobOf, passed, Walk } from './decide-walk.js';
import type { StageState, StageStatus } from './project-state.js';
import { jobRefused } from './stage-reasons.js';
import type { Trigger } from './triggers.js';

/**
 * The job-runner refused the command that was to start a stage's job (its key was taken, its
 * payload is past the bounds): no job will ever report, so the running stage must not wait for
 * one. It is blocked, saying why and who can act, and a manual resume runs it again.
 */

const REASON = 'the body at payload.reports has more than 10000 items';
const refusedOf = (generation = 1): Trigger => ({
  type: 'job_refused',
  stage: '4_test',
  generation,
  code: 'limits_exceeded',
  reason: REASON,
});

const testing = (state: Partial<StageState> = {}) =>
  new Walk({
    ...projectAt('4_test', { status: 'running', startedAt: at(0), ...state }),
    files: [storedFile('artifact', 'site.zip'), storedFile('test_report', 'TEST-a.xml')],
  });

test('a refused enqueue blocks the running stage with the reason, who can act and how', () => {
  const walk = testing();
  expect(walk.step(refusedOf())).toEqual([changed('4_test', 1, 'running', 'blocked', 'job_refused')]);
  expect(walk.stage('4_test')).toMatchObject({
    status: 'blocked',
    generation: 1,
    jobId: null,
    note: REASON,
    blockedReasons: [
      {
        code: 'job_refused',
        message: expect.stringContaining(REASON),
        whoCanAct: ['operator', 'delivery_manager'],
        action: 'manual_resume',
      },
    ],
  });
  expect(walk.stage('4_test').blockedReasons).toEqual([jobRefused('4_test', REASON)]);
});

test('manual resume runs the stage again as a new generation with a fresh job key', () => {
  const walk = testing();
  walk.step(refusedOf());
  expect(walk.step({ type: 'manual_resume', actor: alice })).toEqual([
    changed('4_test', 2, 'blocked', 'ready', 'manual_resume', alice),
    askGate('4_test', 2, 'before', alice),
  ]);
  expect(walk.stage('4_test')).toMatchObject({ generation: 2, note: null, blockedReasons: [] });
  expect(walk.step(passed('4_test', 'before', 2))).toEqual([
    changed('4_test', 2, 'ready', 'running', 'gate_passed'),
    enqueue('4_test', 2, 'test'),
  ]);
  // What the refused generation's key may still bring changes nothing now.
  walk.ignored(refusedOf(1));
  walk.ignored({ type: 'job_succeeded', ...jobOf('4_test', 'job-x'), result: {} });
  walk.step({ type: 'job_started', ...jobOf('4_test', 'job-2', 2) });
  walk.step({ type: 'job_succeeded', ...jobOf('4_test', 'job-2', 2), result: { defects: [] } });
  expect(walk.stage('4_test')).toMatchObject({ status: 'running', gatePoint: 'after' });
});

test('a resume that finds the contract broken meanwhile blocks the new generation on it', () => {
  const walk = testing();
  walk.step(refusedOf());
  walk.fact({ files: [storedFile('artifact', 'site.zip')] });
  expect(walk.step({ type: 'manual_resume', actor: bob })).toEqual([]);
  expect(walk.stage('4_test')).toMatchObject({ status: 'blocked', generation: 2 });
  expect(walk.stage('4_test').blockedReasons.map((reason) => reason.code)).toEqual(['test_report_missing']);
});

const OTHER_STATUSES: StageStatus[] = [
  'pending',
  'blocked',
  'ready',
  'awaiting_approval',
  'needs_human',
  'failed',
  'sent_back',
  'succeeded',
];

test.each(OTHER_STATUSES)('a refusal changes nothing for a stage that is %s', (status) => {
  const project = deepFreeze(projectAt('4_test', { status }));
  const decision = decide(project, refusedOf(), at(5));
  expect(decision.project).toBe(project);
  expect(decision.intents).toEqual([]);
});

test("a refusal of another generation or another stage than the current one's changes nothing", () => {
  const project = deepFreeze(projectAt('4_test', { status: 'running', generation: 2 }));
  for (const trigger of [refusedOf(1), refusedOf(3), { ...refusedOf(2), stage: '3_build' } as Trigger]) {
    const decision = decide(project, trigger, at(5));
    expect(decision.project).toBe(project);
    expect(decision.intents).toEqual([]);
  }
});

test('a new fact or an advance does not send the refused command again; only a resume runs it', () => {
  const walk = testing();
  walk.step(refusedOf());
  walk.ignored({ type: 'manual_advance', actor: alice });
  walk.ignored({ type: 'artifact_upload', actor: bob });
  expect(walk.stage('4_test')).toMatchObject({ status: 'blocked', generation: 1 });
});
