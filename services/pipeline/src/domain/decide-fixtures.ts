import { type Actor, STAGES, type Stage } from '@delivery/contracts';
import { newProjectState } from './new-project.js';
import type { ProjectState, Requirements, StageState, StoredFile } from './project-state.js';

/** Projects and people the domain tests share. */

export const T0 = new Date('2026-03-02T09:00:00.000Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

export const alice: Actor = { kind: 'user', id: 'u-alice', name: 'Alice' };
export const bob: Actor = { kind: 'user', id: 'u-bob', name: 'Bob' };

export const requirements: Requirements = {
  fields: [
    { key: 'company', label: 'Company name', type: 'text', required: true, validation: { min: 2 } },
    { key: 'launch', label: 'Launch date', type: 'date', required: false },
  ],
  artifacts: [
    { name: 'site.zip', contentType: 'application/zip', maxSizeBytes: 1_000_000, required: true },
    { name: 'notes.md', contentType: 'text/markdown', maxSizeBytes: 10_000, required: false },
  ],
  blueprintRunId: 'run-1',
};

export function storedFile(kind: StoredFile['kind'], name: string): StoredFile {
  return {
    id: `file-${name}`,
    kind,
    name,
    contentType: kind === 'test_report' ? 'application/xml' : 'application/zip',
    size: 10,
    sha256: 'a'.repeat(64),
    uploadedBy: alice,
    uploadedAt: T0,
  };
}

/** A new project at sales whose template's blueprint is known; no fact about it is known yet. */
export function freshProject(overrides: Partial<ProjectState> = {}): ProjectState {
  const project = newProjectState(
    {
      id: 'p-1',
      name: 'Acme site',
      client: 'Acme',
      templateId: 'tpl-1',
      templateVersion: 1,
      deliveryManagerId: 'u-alice',
      requireManualReview: false,
      requirements,
    },
    T0,
  );
  return { ...project, ...overrides };
}

/** Every fact the build stage needs: sale, answers, an assignee and the required artifact. */
export function facts(): Partial<ProjectState> {
  return {
    sale: { confirmedBy: alice, confirmedAt: T0, note: null },
    onboarding: { answers: { company: 'Acme' }, updatedBy: alice, updatedAt: T0 },
    assignees: [{ id: 'u-bob', name: 'Bob', assignedBy: alice, assignedAt: T0 }],
    files: [storedFile('artifact', 'site.zip')],
  };
}

/** A project with every fact up to the build stage, at `stage`, whose earlier stages succeeded. */
export function projectAt(stage: Stage, state: Partial<StageState> = {}): ProjectState {
  const project = freshProject({ ...facts(), currentStage: stage });
  const index = STAGES.indexOf(stage);
  const stages = { ...project.stages };
  for (const earlier of STAGES.slice(0, index)) {
    stages[earlier] = {
      ...stages[earlier],
      status: 'succeeded',
      startedAt: T0,
      finishedAt: T0,
      updatedAt: T0,
    };
  }
  stages[stage] = { ...stages[stage], ...state };
  return { ...project, stages };
}

/** Frozen all the way down, so that a decision that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
