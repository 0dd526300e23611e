import { PIPELINE_ACTOR } from '@delivery/contracts';
import { alice, at, bob, freshProject, projectAt, storedFile } from './decide-fixtures.js';
import { askGate, changed, enqueue, jobOf, passed, Walk } from './decide-walk.js';
import type { Trigger } from './triggers.js';

describe('a project with no gates, driven only by its triggers', () => {
  test('goes from 0_sales to 6_complete, each stage once, one job per stage with work', () => {
    const walk = new Walk(freshProject());
    expect(walk.step({ type: 'project_created', actor: alice })).toEqual([
      changed('0_sales', 1, 'pending', 'blocked', 'project_created', alice),
    ]);
    expect(walk.stage('0_sales').blockedReasons.map((reason) => reason.code)).toEqual(['sale_not_confirmed']);

    walk.fact({ sale: { confirmedBy: alice, confirmedAt: at(1), note: 'signed' } });
    expect(walk.step({ type: 'sale_confirmed', actor: alice })).toEqual([
      changed('0_sales', 1, 'blocked', 'ready', 'sale_confirmed', alice),
      askGate('0_sales', 1, 'before', alice),
    ]);
    // Sales has no job: once it may start it is done, and its after gate is asked right away.
    expect(walk.step(passed('0_sales', 'before'))).toEqual([
      changed('0_sales', 1, 'ready', 'running', 'gate_passed'),
      askGate('0_sales', 1, 'after'),
    ]);
    expect(walk.step(passed('0_sales', 'after'))).toEqual([
      changed('0_sales', 1, 'running', 'succeeded', 'gate_passed'),
      changed('1_onboarding', 1, 'pending', 'blocked', 'gate_passed'),
    ]);
    expect(walk.stage('1_onboarding').blockedReasons.map((reason) => reason.code)).toEqual([
      'onboarding_incomplete',
    ]);

    walk.fact({ onboarding: { answers: { company: 'Acme' }, updatedBy: alice, updatedAt: at(2) } });
    expect(walk.step({ type: 'onboarding_saved', actor: alice })).toEqual([
      changed('1_onboarding', 1, 'blocked', 'ready', 'onboarding_saved', alice),
      askGate('1_onboarding', 1, 'before', alice),
    ]);
    expect(walk.step(passed('1_onboarding', 'before'))).toEqual([
      changed('1_onboarding', 1, 'ready', 'running', 'gate_passed'),
      askGate('1_onboarding', 1, 'after'),
    ]);
    expect(walk.step(passed('1_onboarding', 'after'))).toEqual([
      changed('1_onboarding', 1, 'running', 'succeeded', 'gate_passed'),
      changed('2_assignment', 1, 'pending', 'blocked', 'gate_passed'),
    ]);

    walk.fact({ assignees: [{ id: 'u-bob', name: 'Bob', assignedBy: PIPELINE_ACTOR, assignedAt: at(3) }] });
    expect(walk.step({ type: 'auto_assignment', actor: PIPELINE_ACTOR })).toEqual([
      changed('2_assignment', 1, 'blocked', 'ready', 'auto_assignment', PIPELINE_ACTOR),
      askGate('2_assignment', 1, 'before'),
    ]);
    expect(walk.step(passed('2_assignment', 'before'))).toEqual([
      changed('2_assignment', 1, 'ready', 'running', 'gate_passed'),
      askGate('2_assignment', 1, 'after'),
    ]);
    expect(walk.step(passed('2_assignment', 'after'))).toEqual([
      changed('2_assignment', 1, 'running', 'succeeded', 'gate_passed'),
      changed('3_build', 1, 'pending', 'blocked', 'gate_passed'),
    ]);
    expect(walk.stage('3_build').blockedReasons.map((reason) => reason.message)).toEqual([
      'Upload the required artifact "site.zip"',
    ]);

    walk.fact({ files: [storedFile('artifact', 'site.zip')] });
    expect(walk.step({ type: 'artifact_upload', actor: bob })).toEqual([
      changed('3_build', 1, 'blocked', 'ready', 'artifact_upload', bob),
      askGate('3_build', 1, 'before', bob),
    ]);
    expect(walk.step(passed('3_build', 'before'))).toEqual([
      changed('3_build', 1, 'ready', 'running', 'gate_passed'),
      enqueue('3_build', 1, 'build'),
    ]);
    expect(walk.step({ type: 'job_queued', ...jobOf('3_build', 'job-b') })).toEqual([]);
    expect(walk.step({ type: 'job_started', ...jobOf('3_build', 'job-b') })).toEqual([]);
    expect(walk.stage('3_build')).toMatchObject({ status: 'running', jobId: 'job-b' });
    expect(
      walk.step({ type: 'job_succeeded', ...jobOf('3_build', 'job-b'), result: { manifest: 1 } }),
    ).toEqual([askGate('3_build', 1, 'after')]);
    expect(walk.step(passed('3_build', 'after'))).toEqual([
      changed('3_build', 1, 'running', 'succeeded', 'gate_passed'),
      changed('4_test', 1, 'pending', 'blocked', 'gate_passed'),
    ]);

    walk.fact({ files: [...walk.project.files, storedFile('test_report', 'junit.xml')] });
    expect(walk.step({ type: 'artifact_upload', actor: bob })).toEqual([
      changed('4_test', 1, 'blocked', 'ready', 'artifact_upload', bob),
      askGate('4_test', 1, 'before', bob),
    ]);
    expect(walk.step(passed('4_test', 'before'))).toEqual([
      changed('4_test', 1, 'ready', 'running', 'gate_passed'),
      enqueue('4_test', 1, 'test'),
    ]);
    const defects = { defects: [{ id: 'D-1', case: 'checkout fails' }] };
    expect(walk.step({ type: 'job_succeeded', ...jobOf('4_test', 'job-t'), result: defects })).toEqual([
      askGate('4_test', 1, 'after'),
    ]);
    // The test results are what defect validation needs: it asks its gate in the same decision.
    expect(walk.step(passed('4_test', 'after'))).toEqual([
      changed('4_test', 1, 'running', 'succeeded', 'gate_passed'),
      changed('5_defect_validation', 1, 'pending', 'ready', 'gate_passed'),
      askGate('5_defect_validation', 1, 'before'),
    ]);
    expect(walk.project.outputs['4_test']).toEqual(defects);

    expect(walk.step(passed('5_defect_validation', 'before'))).toEqual([
      changed('5_defect_validation', 1, 'ready', 'running', 'gate_passed'),
      enqueue('5_defect_validation', 1, 'defect_validation'),
    ]);
    const validated = {
      type: 'job_succeeded',
      ...jobOf('5_defect_validation', 'job-d'),
      result: { confirmed: 1 },
    };
    expect(walk.step(validated as Trigger)).toEqual([askGate('5_defect_validation', 1, 'after')]);
    expect(walk.step(passed('5_defect_validation', 'after'))).toEqual([
      changed('5_defect_validation', 1, 'running', 'succeeded', 'gate_passed'),
      changed('6_complete', 1, 'pending', 'succeeded', 'gate_passed'),
      { type: 'project_completed' },
    ]);

    expect(walk.project.status).toBe('completed');
    expect(walk.project.currentStage).toBe('6_complete');
    for (const state of Object.values(walk.project.stages)) {
      expect(state).toMatchObject({ status: 'succeeded', generation: 1, blockedReasons: [] });
      expect(state.finishedAt).toBeInstanceOf(Date);
    }
    walk.ignored({ type: 'manual_resume', actor: alice });
    walk.ignored({ type: 'manual_advance', actor: alice });
  });

  test('a project whose template has no blueprint yet waits at onboarding and goes on when it comes', () => {
    const walk = new Walk(projectAt('1_onboarding', { status: 'pending' }));
    walk.fact({ requirements: null });
    expect(walk.step({ type: 'manual_advance', actor: alice })).toEqual([
      changed('1_onboarding', 1, 'pending', 'blocked', 'manual_advance', alice),
    ]);
    expect(walk.stage('1_onboarding').blockedReasons.map((reason) => reason.code)).toEqual([
      'blueprint_missing',
    ]);
    walk.fact({ requirements: freshProject().requirements });
    expect(walk.step({ type: 'blueprint_ready', actor: PIPELINE_ACTOR })).toEqual([
      changed('1_onboarding', 1, 'blocked', 'ready', 'blueprint_ready', PIPELINE_ACTOR),
      askGate('1_onboarding', 1, 'before'),
    ]);
  });
});
