import type { Actor, GatePoint, Stage } from '@delivery/contracts';
import { PIPELINE_ACTOR } from '@delivery/contracts';
import { decide, type Intent } from './decide.js';
import { at, deepFreeze } from './decide-fixtures.js';
import type { ProjectState, StageState, StageStatus } from './project-state.js';
import type { Trigger } from './triggers.js';

/**
 * A project fed its triggers in order, the way the shell would. Every trigger is delivered twice:
 * the second delivery must change nothing (redeliveries, double clicks).
 */
export class Walk {
  #minute = 0;
  constructor(public project: ProjectState) {}

  /** A fact the shell stores before it triggers the decision (a sale, answers, an upload). */
  fact(change: Partial<ProjectState>): void {
    this.project = { ...this.project, ...change };
  }

  step(trigger: Trigger): Intent[] {
    this.#minute += 1;
    const first = decide(deepFreeze(this.project), trigger, at(this.#minute));
    const again = decide(deepFreeze(first.project), trigger, at(this.#minute + 0.5));
    expect(again.project).toBe(first.project);
    expect(again.intents).toEqual([]);
    this.project = first.project;
    return first.intents;
  }

  /** A trigger that must change nothing at all. */
  ignored(trigger: Trigger): void {
    const before = this.project;
    expect(this.step(trigger)).toEqual([]);
    expect(this.project).toBe(before);
  }

  stage(stage: Stage): StageState {
    return this.project.stages[stage];
  }
}

export const changed = (
  stage: Stage,
  generation: number,
  from: StageStatus,
  to: StageStatus,
  trigger: Trigger['type'],
  actor: Actor | null = null,
): Intent => ({ type: 'stage_changed', stage, generation, from, to, trigger, actor });
export const askGate = (
  stage: Stage,
  generation: number,
  point: GatePoint,
  requestedBy: Actor = PIPELINE_ACTOR,
): Intent => ({
  type: 'evaluate_gate',
  stage,
  generation,
  point,
  requestedBy,
});
export const enqueue = (
  stage: Stage,
  generation: number,
  kind: 'build' | 'test' | 'defect_validation',
): Intent => ({
  type: 'enqueue_job',
  stage,
  generation,
  kind,
  idempotencyKey: `p-1:${stage}:${generation}`,
});
export const passed = (stage: Stage, point: GatePoint, generation = 1): Trigger => ({
  type: 'gate_passed',
  stage,
  generation,
  point,
  approvalId: null,
});
export const jobOf = (stage: Stage, jobId: string, generation = 1, attempt = 1) => ({
  stage,
  generation,
  jobId,
  attempt,
});
