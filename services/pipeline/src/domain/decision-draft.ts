import { type Actor, type GatePoint, STAGES, type Stage } from '@delivery/contracts';
import type { ProjectState, StageState, StageStatus } from './project-state.js';
import type { Trigger } from './triggers.js';

/** What the shell must do because of a decision, besides storing the new project. */
export type Intent =
  | { type: 'evaluate_gate'; stage: Stage; generation: number; point: GatePoint; requestedBy: Actor }
  | {
      type: 'enqueue_job';
      stage: Stage;
      generation: number;
      kind: 'build' | 'test' | 'defect_validation';
      idempotencyKey: string;
    }
  | { type: 'resume_job'; stage: Stage; jobId: string; input: Record<string, unknown> }
  | {
      type: 'stage_changed';
      stage: Stage;
      generation: number;
      from: StageStatus;
      to: StageStatus;
      trigger: Trigger['type'];
      actor: Actor | null;
    }
  | { type: 'project_completed' };

export interface Decision {
  project: ProjectState;
  intents: Intent[];
}

type StagePatch = Partial<Omit<StageState, 'updatedAt'>>;
type Command = Exclude<Intent, { type: 'stage_changed' }>;

/**
 * The project as a decision changes it, step by step, without touching the project it started
 * from. Status changes are not recorded as they happen but compared at the end, so a stage that
 * passes through a transient status (a new generation's `pending`) yields one change, not two.
 */
export class DecisionDraft {
  #project: ProjectState;
  readonly #commands: Command[] = [];

  constructor(
    private readonly original: ProjectState,
    private readonly trigger: Trigger,
    readonly now: Date,
  ) {
    this.#project = original;
  }

  get project(): ProjectState {
    return this.#project;
  }

  get currentStage(): Stage {
    return this.#project.currentStage;
  }

  stage(stage: Stage): StageState {
    return this.#project.stages[stage];
  }

  /** Applies the patch to the stage; a patch that changes nothing leaves the project as it is. */
  updateStage(stage: Stage, patch: StagePatch): void {
    const before = this.#project.stages[stage];
    const changed = (Object.keys(patch) as (keyof StagePatch)[]).some(
      (key) => !sameValue(before[key], patch[key]),
    );
    if (!changed) return;
    const after: StageState = { ...before, ...patch, updatedAt: this.now };
    this.#project = { ...this.#project, stages: { ...this.#project.stages, [stage]: after } };
  }

  moveTo(stage: Stage): void {
    this.#project = { ...this.#project, currentStage: stage };
  }

  setOutput(stage: Stage, output: unknown): void {
    this.#project = { ...this.#project, outputs: { ...this.#project.outputs, [stage]: output } };
  }

  /** A stage's output that no longer holds (its stage runs again). */
  clearOutput(stage: Stage): void {
    if (!(stage in this.#project.outputs)) return;
    const { [stage]: _dropped, ...rest } = this.#project.outputs;
    this.#project = { ...this.#project, outputs: rest };
  }

  complete(): void {
    this.#project = { ...this.#project, status: 'completed' };
  }

  command(command: Command): void {
    this.#commands.push(command);
  }

  /** Status changes first (in stage order), then what the decision asks of other services. */
  finish(): Decision {
    if (this.#project === this.original && this.#commands.length === 0)
      return { project: this.original, intents: [] };
    const changes: Intent[] = [];
    for (const stage of STAGES) {
      const from = this.original.stages[stage];
      const to = this.#project.stages[stage];
      if (from.status === to.status) continue;
      changes.push({
        type: 'stage_changed',
        stage,
        generation: to.generation,
        from: from.status,
        to: to.status,
        trigger: this.trigger.type,
        actor: triggerActor(this.trigger),
      });
    }
    return { project: this.#project, intents: [...changes, ...this.#commands] };
  }
}

/** The person or service that caused the trigger, when it names one. */
function triggerActor(trigger: Trigger): Actor | null {
  if ('actor' in trigger) return trigger.actor;
  if (trigger.type === 'approval_sent_back') return trigger.by;
  // The approval that granted the gate: the person whose approval completed it.
  if (trigger.type === 'approval_granted') return trigger.approvers.at(-1) ?? null;
  return null;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  // Blocked reasons: plain data, compared by content.
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}
