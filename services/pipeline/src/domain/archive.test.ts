import { decide } from './decide.js';
import { alice, at, deepFreeze, projectAt } from './decide-fixtures.js';
import { archive, isRefused, unarchive } from './fact-changes.js';
import type { ProjectState } from './project-state.js';

const change = (project: ProjectState, fact: (p: ProjectState) => ReturnType<typeof archive>) => {
  const next = fact(deepFreeze(project));
  if (isRefused(next)) throw new Error(next.message);
  return next;
};

test('archiving stops the project where it is; restoring runs the stage it left again, asking its gate', () => {
  const building = projectAt('3_build', { status: 'running', jobId: 'job-1', startedAt: at(1) });
  const archived = decide(change(building, archive), { type: 'archived', actor: alice }, at(2), building);
  expect(archived.intents).toEqual([]);
  expect(archived.project).toMatchObject({ status: 'archived', currentStage: '3_build' });

  const restored = decide(change(archived.project, unarchive), { type: 'unarchived', actor: alice }, at(3));
  expect(restored.project.status).toBe('active');
  expect(restored.project.stages['3_build']).toMatchObject({
    status: 'ready',
    generation: 2,
    gatePoint: 'before',
    jobId: null,
  });
  expect(restored.project.stages['3_build'].note).toContain('restored from the archive');
  expect(restored.intents).toContainEqual({
    type: 'evaluate_gate',
    stage: '3_build',
    generation: 2,
    point: 'before',
    requestedBy: alice,
  });
});

test('a stage that had not begun keeps its generation when restored', () => {
  const blocked = { ...projectAt('3_build', { status: 'blocked' }), files: [] };
  const archived = change(blocked, archive);
  const restored = decide(change(archived, unarchive), { type: 'unarchived', actor: alice }, at(3));
  expect(restored.project.stages['3_build']).toMatchObject({ status: 'blocked', generation: 1 });
});

test('a completed project archived and restored is completed again, and moves nothing', () => {
  const done = {
    ...projectAt('6_complete', { status: 'succeeded' }),
    status: 'completed' as const,
  };
  const restored = decide(
    change(change(done, archive), unarchive),
    { type: 'unarchived', actor: alice },
    at(3),
  );
  expect(restored.project.status).toBe('completed');
  expect(restored.intents).toEqual([]);
});

test('archive twice or restore what is not archived: refused', () => {
  const project = projectAt('2_assignment');
  expect(unarchive(project)).toMatchObject({ refused: 'conflict' });
  expect(archive(change(project, archive))).toMatchObject({ refused: 'conflict' });
});
