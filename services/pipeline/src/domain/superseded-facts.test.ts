import type { Stage } from '@delivery/contracts';
import { decide } from './decide.js';
import { alice, at, bob, deepFreeze, projectAt, storedFile } from './decide-fixtures.js';
import type { ProjectState, StageState } from './project-state.js';
import type { Trigger } from './triggers.js';

// A fact a passed gate covered changes: the approval no longer holds, and the stage runs again
// as a new generation that asks its gate again. Facts nothing has approved yet change nothing.

const running: Partial<StageState> = { status: 'running', startedAt: at(1), jobId: 'job-1' };
const withArtifact = (project: ProjectState): ProjectState => ({
  ...project,
  files: [...project.files, storedFile('artifact', 'notes.md')],
});
const withAnswers = (project: ProjectState): ProjectState => ({
  ...project,
  onboarding: { ...project.onboarding, answers: { company: 'Acme Corp' } },
});
const upload: Trigger = { type: 'artifact_upload', actor: bob };
const answers: Trigger = { type: 'onboarding_saved', actor: alice };

function decideChange(before: ProjectState, change: (p: ProjectState) => ProjectState, trigger: Trigger) {
  deepFreeze(before);
  return decide(change(before), trigger, at(5), before);
}

test('an artifact uploaded while the build runs supersedes its approval: generation 2 asks the gate again', () => {
  const before = projectAt('3_build', { ...running, approvalId: 'ap-1' });
  const { project, intents } = decideChange(before, withArtifact, upload);
  expect(project.currentStage).toBe('3_build');
  expect(project.stages['3_build']).toMatchObject({
    status: 'ready',
    generation: 2,
    gatePoint: 'before',
    jobId: null,
    approvalId: null,
  });
  expect(project.stages['3_build'].note).toContain('the artifacts changed after generation 1 asked its gate');
  expect(intents).toContainEqual({
    type: 'evaluate_gate',
    stage: '3_build',
    generation: 2,
    point: 'before',
    requestedBy: bob,
  });
});

test('answers changed after onboarding was approved take the project back to onboarding; later stages start over', () => {
  const before = {
    ...projectAt('4_test', running),
    outputs: { '3_build': { manifest: [] }, '4_test': { defects: [] } },
  };
  const { project, intents } = decideChange(before, withAnswers, answers);
  expect(project.currentStage).toBe('1_onboarding');
  const generations = (['1_onboarding', '2_assignment', '3_build', '4_test'] as Stage[]).map((stage) => [
    stage,
    project.stages[stage].status,
    project.stages[stage].generation,
  ]);
  expect(generations).toEqual([
    ['1_onboarding', 'ready', 2],
    ['2_assignment', 'pending', 2],
    ['3_build', 'pending', 2],
    ['4_test', 'pending', 2],
  ]);
  expect(project.outputs).toEqual({});
  expect(intents).toContainEqual(
    expect.objectContaining({ type: 'evaluate_gate', stage: '1_onboarding', generation: 2 }),
  );
});

test('a review waiting on the output is superseded too (the output was made from the old facts)', () => {
  const before = projectAt('3_build', {
    status: 'awaiting_approval',
    gatePoint: 'after',
    approvalId: 'ap-2',
  });
  const { project } = decideChange(before, withArtifact, upload);
  expect(project.stages['3_build']).toMatchObject({ generation: 2, gatePoint: 'before' });
});

test('a fact of a stage whose gate was not asked yet (still blocked) changes no generation', () => {
  const before = projectAt('3_build', { status: 'blocked' });
  const { project } = decideChange(before, withArtifact, upload);
  expect(project.stages['3_build'].generation).toBe(1);
});

test('a fact changed under a pending approval to start asks again: its responsible people were fixed when asked', () => {
  const before = projectAt('3_build', {
    status: 'awaiting_approval',
    gatePoint: 'before',
    approvalId: 'ap-1',
  });
  const { project, intents } = decideChange(before, withArtifact, upload);
  expect(project.stages['3_build']).toMatchObject({
    status: 'ready',
    generation: 2,
    approvalId: null,
  });
  expect(intents).toContainEqual(
    expect.objectContaining({ type: 'evaluate_gate', stage: '3_build', generation: 2 }),
  );
});

test('the same answers saved again supersede nothing', () => {
  const before = projectAt('3_build', running);
  const { project } = decideChange(
    before,
    (p) => ({ ...p, onboarding: { ...p.onboarding, updatedAt: at(4) } }),
    answers,
  );
  expect(project).toMatchObject({ currentStage: '3_build' });
  expect(project.stages['3_build']).toMatchObject({ status: 'running', generation: 1 });
});

test('a fact of a stage not reached yet supersedes nothing', () => {
  const before = projectAt('3_build', running);
  const { project } = decideChange(
    before,
    (p) => ({ ...p, files: [...p.files, storedFile('test_report', 'junit.xml')] }),
    upload,
  );
  expect(project.stages['3_build']).toMatchObject({ status: 'running', generation: 1 });
});

test('the same bytes uploaded again (a double click) supersede nothing', () => {
  const before = projectAt('3_build', running);
  const { project } = decideChange(
    before,
    (p) => ({ ...p, files: [...p.files, { ...storedFile('artifact', 'site.zip'), id: 'file-again' }] }),
    upload,
  );
  expect(project.stages['3_build']).toMatchObject({ status: 'running', generation: 1 });
});
