import type { Actor, Stage } from '@delivery/contracts';
import { PIPELINE_ACTOR } from '@delivery/contracts';
import { decide, type Intent } from './decide.js';
import { alice, at, bob, deepFreeze, projectAt } from './decide-fixtures.js';
import type { ProjectState, StageState, StageStatus } from './project-state.js';
import { approvalExpired, approvalPending, jobFailed, needsHuman, sentBack } from './stage-reasons.js';
import type { Trigger } from './triggers.js';

/*
 * The stage machine as a table: every trigger against the build stage (it has a job) in every
 * status it can be in. A cell left out of a row means "nothing changes": the very same project
 * comes back and no intent.
 */

const NOW = at(30);
const STAGE: Stage = '3_build';

const STATES = {
  pending: {},
  blocked: {
    status: 'blocked',
    blockedReasons: [
      { code: 'artifact_missing', message: 'Upload', whoCanAct: ['assignee'], action: 'upload_artifact' },
    ],
  },
  blocked_expired: {
    status: 'blocked',
    gatePoint: 'before',
    approvalId: 'ap-1',
    blockedReasons: [approvalExpired(STAGE, 'before')],
  },
  /** Its contract held while it was a stage ahead; nothing asked yet. */
  ready: { status: 'ready' },
  /** hitl is being asked whether an approval is needed to start: none exists, so not awaiting one. */
  asking_before: { status: 'ready', gatePoint: 'before' },
  awaiting_before_requested: {
    status: 'awaiting_approval',
    gatePoint: 'before',
    approvalId: 'ap-1',
    blockedReasons: [approvalPending(STAGE, 'before')],
  },
  /** The job is done and hitl is being asked whether its output needs a review. */
  asking_after: { status: 'running', gatePoint: 'after', startedAt: at(1) },
  awaiting_after_requested: {
    status: 'awaiting_approval',
    gatePoint: 'after',
    approvalId: 'ap-1',
    startedAt: at(1),
    blockedReasons: [approvalPending(STAGE, 'after')],
  },
  running: { status: 'running', startedAt: at(1) },
  needs_human: {
    status: 'needs_human',
    jobId: 'job-1',
    note: 'confirm the defects',
    blockedReasons: [needsHuman('confirm the defects')],
  },
  failed: {
    status: 'failed',
    jobId: 'job-1',
    note: 'disk full',
    blockedReasons: [jobFailed(STAGE, 'disk full')],
  },
  sent_back: {
    status: 'sent_back',
    approvalId: 'ap-1',
    note: 'fix it',
    blockedReasons: [sentBack('fix it')],
  },
  succeeded: { status: 'succeeded', startedAt: at(1), finishedAt: at(2) },
} satisfies Record<string, Partial<StageState>>;
type Case = keyof typeof STATES;
const CASES = Object.keys(STATES) as Case[];

const gate = { stage: STAGE, generation: 1 } as const;
const job = { stage: STAGE, generation: 1, jobId: 'job-1', attempt: 1 } as const;

/** What the shell must do besides publishing the status change. */
type Command = 'gate_before' | 'gate_after' | 'enqueue' | 'resume';
type Outcome =
  | { to: StageStatus; generation?: number; commands?: Command[]; fields?: Partial<StageState> }
  /** The after gate passed: build succeeds, the test stage is looked at (and waits for a report). */
  | 'moves_on';

const toGateBefore: Outcome = {
  to: 'ready',
  commands: ['gate_before'],
  fields: { gatePoint: 'before' },
};
const rework: Outcome = {
  ...toGateBefore,
  generation: 2,
  fields: { gatePoint: 'before', note: null, jobId: null },
};
const ADVANCE: Partial<Record<Case, Outcome>> = {
  pending: toGateBefore,
  blocked: toGateBefore,
  ready: toGateBefore,
  sent_back: rework,
};
const toRunning: Outcome = {
  to: 'running',
  commands: ['enqueue'],
  fields: { startedAt: NOW, gatePoint: null },
};
const movesOn: Partial<Record<Case, Outcome>> = {
  asking_after: 'moves_on',
  awaiting_after_requested: 'moves_on',
};
const started: Partial<Record<Case, Outcome>> = { running: { to: 'running', fields: { jobId: 'job-1' } } };
const sentBackAt = (point: 'before' | 'after'): Partial<Record<Case, Outcome>> => {
  const outcome: Outcome = { to: 'sent_back', fields: { note: 'needs a footer', approvalId: 'ap-1' } };
  return { [`asking_${point}`]: outcome, [`awaiting_${point}_requested`]: outcome };
};
const canceled: Outcome = { to: 'failed', fields: { note: 'the job was canceled', jobId: 'job-1' } };
const failed: Outcome = { to: 'failed', fields: { note: 'out of memory', jobId: 'job-1' } };
const succeeded: Outcome = {
  to: 'running',
  commands: ['gate_after'],
  fields: { gatePoint: 'after', note: null, jobId: 'job-1' },
};

type AdvanceType = Exclude<Extract<Trigger, { actor: Actor }>['type'], 'manual_resume' | 'defects_decided'>;
const advanceTrigger = (type: AdvanceType): Trigger => ({ type, actor: alice });

const TABLE: [string, Trigger, Partial<Record<Case, Outcome>>][] = [
  ['project_created', advanceTrigger('project_created'), ADVANCE],
  ['sale_confirmed', advanceTrigger('sale_confirmed'), ADVANCE],
  ['onboarding_saved', advanceTrigger('onboarding_saved'), ADVANCE],
  ['assignment_updated', advanceTrigger('assignment_updated'), ADVANCE],
  ['auto_assignment', advanceTrigger('auto_assignment'), ADVANCE],
  ['artifact_upload', advanceTrigger('artifact_upload'), ADVANCE],
  ['file_replaced', advanceTrigger('file_replaced'), ADVANCE],
  ['file_withdrawn', advanceTrigger('file_withdrawn'), ADVANCE],
  ['manual_advance', advanceTrigger('manual_advance'), ADVANCE],
  ['blueprint_ready', advanceTrigger('blueprint_ready'), ADVANCE],
  [
    'manual_resume',
    { type: 'manual_resume', actor: alice, input: { confirmed: ['D-1'] } },
    {
      ...ADVANCE,
      failed: rework,
      blocked_expired: { to: 'ready', commands: ['gate_before'], fields: { approvalId: null } },
      // hitl never answered (down, or the question dead-lettered): the resume asks it again.
      asking_before: {
        to: 'ready',
        commands: ['gate_before'],
        fields: { gatePoint: 'before', note: 'Alice asked again whether an approval is needed' },
      },
      asking_after: {
        to: 'running',
        commands: ['gate_after'],
        fields: { gatePoint: 'after', note: 'Alice asked again whether an approval is needed' },
      },
      needs_human: { to: 'running', commands: ['resume'], fields: { note: null, jobId: 'job-1' } },
    },
  ],
  [
    // Defect decisions only ever go on with a job that waits for them; they start nothing else.
    'defects_decided',
    { type: 'defects_decided', actor: alice, input: { confirmed: ['D-1'] } },
    { needs_human: { to: 'running', commands: ['resume'], fields: { note: null, jobId: 'job-1' } } },
  ],
  [
    'gate_passed before',
    { type: 'gate_passed', ...gate, point: 'before', approvalId: null },
    { asking_before: toRunning, awaiting_before_requested: toRunning },
  ],
  ['gate_passed after', { type: 'gate_passed', ...gate, point: 'after', approvalId: null }, movesOn],
  [
    'approval_granted before',
    { type: 'approval_granted', ...gate, point: 'before', approvalId: 'ap-1', approvers: [] },
    { asking_before: toRunning, awaiting_before_requested: toRunning },
  ],
  [
    'approval_granted after',
    { type: 'approval_granted', ...gate, point: 'after', approvalId: 'ap-1', approvers: [] },
    movesOn,
  ],
  [
    'approval_requested before',
    { type: 'approval_requested', ...gate, point: 'before', approvalId: 'ap-1' },
    {
      asking_before: {
        to: 'awaiting_approval',
        fields: { approvalId: 'ap-1', blockedReasons: [approvalPending(STAGE, 'before')] },
      },
    },
  ],
  [
    'approval_requested after',
    { type: 'approval_requested', ...gate, point: 'after', approvalId: 'ap-1' },
    {
      asking_after: {
        to: 'awaiting_approval',
        fields: { approvalId: 'ap-1', blockedReasons: [approvalPending(STAGE, 'after')] },
      },
    },
  ],
  [
    'approval_sent_back before',
    {
      type: 'approval_sent_back',
      ...gate,
      point: 'before',
      approvalId: 'ap-1',
      by: bob,
      comment: 'needs a footer',
    },
    sentBackAt('before'),
  ],
  [
    'approval_sent_back after',
    {
      type: 'approval_sent_back',
      ...gate,
      point: 'after',
      approvalId: 'ap-1',
      by: bob,
      comment: 'needs a footer',
    },
    sentBackAt('after'),
  ],
  [
    'approval_expired before',
    { type: 'approval_expired', ...gate, point: 'before', approvalId: 'ap-1' },
    { awaiting_before_requested: { to: 'blocked', fields: { gatePoint: 'before', approvalId: 'ap-1' } } },
  ],
  [
    'approval_expired after',
    { type: 'approval_expired', ...gate, point: 'after', approvalId: 'ap-1' },
    { awaiting_after_requested: { to: 'blocked', fields: { gatePoint: 'after', approvalId: 'ap-1' } } },
  ],
  ['job_queued', { type: 'job_queued', ...job }, started],
  ['job_started', { type: 'job_started', ...job }, started],
  [
    'job_succeeded',
    { type: 'job_succeeded', ...job, result: { manifest: ['site.zip'] } },
    { running: succeeded, needs_human: succeeded, failed: succeeded },
  ],
  [
    'job_failed final',
    { type: 'job_failed', ...job, error: 'out of memory', final: true },
    { running: failed, needs_human: failed },
  ],
  [
    'job_failed not final',
    { type: 'job_failed', ...job, error: 'out of memory', final: false },
    { running: { to: 'running', fields: { note: 'out of memory', jobId: 'job-1' } } },
  ],
  [
    'job_needs_human',
    { type: 'job_needs_human', ...job, reason: 'two defects to confirm' },
    {
      running: { to: 'needs_human', fields: { note: 'two defects to confirm', jobId: 'job-1' } },
      needs_human: { to: 'needs_human', fields: { note: 'two defects to confirm', jobId: 'job-1' } },
    },
  ],
  ['job_canceled', { type: 'job_canceled', ...job }, { running: canceled, needs_human: canceled }],
  [
    'job_retry_scheduled',
    { type: 'job_retry_scheduled', ...job, error: 'timeout', nextRunAt: at(40).toISOString() },
    { running: { to: 'running', fields: { note: 'timeout', jobId: 'job-1', blockedReasons: [] } } },
  ],
];

const projectIn = (state: Case): ProjectState =>
  deepFreeze(projectAt(STAGE, STATES[state] as Partial<StageState>));

function actorOf(trigger: Trigger): Actor | null {
  if ('actor' in trigger) return trigger.actor;
  return trigger.type === 'approval_sent_back' ? trigger.by : null;
}

function expectedCommand(command: Command, trigger: Trigger, generation: number): Intent {
  const requestedBy = actorOf(trigger) ?? PIPELINE_ACTOR;
  switch (command) {
    case 'gate_before':
      return { type: 'evaluate_gate', stage: STAGE, generation, point: 'before', requestedBy };
    case 'gate_after':
      return { type: 'evaluate_gate', stage: STAGE, generation, point: 'after', requestedBy: PIPELINE_ACTOR };
    case 'enqueue':
      return {
        type: 'enqueue_job',
        stage: STAGE,
        generation,
        kind: 'build',
        idempotencyKey: `p-1:${STAGE}:1`,
      };
    case 'resume':
      return { type: 'resume_job', stage: STAGE, jobId: 'job-1', input: { confirmed: ['D-1'] } };
  }
}

const stageChanged = (
  stage: Stage,
  generation: number,
  from: StageStatus,
  to: StageStatus,
  trigger: Trigger,
) =>
  ({
    type: 'stage_changed',
    stage,
    generation,
    from,
    to,
    trigger: trigger.type,
    actor: actorOf(trigger),
  }) as const;

function expectOutcome(project: ProjectState, trigger: Trigger, outcome: Outcome | undefined): void {
  const decision = decide(project, trigger, NOW);
  if (outcome === undefined) {
    expect(decision.project).toBe(project);
    expect(decision.intents).toEqual([]);
    return;
  }
  const from = project.stages[STAGE];
  if (outcome === 'moves_on') {
    expect(decision.project.currentStage).toBe('4_test');
    expect(decision.project.stages[STAGE]).toMatchObject({
      status: 'succeeded',
      finishedAt: NOW,
      updatedAt: NOW,
    });
    expect(decision.project.stages['4_test']).toMatchObject({ status: 'blocked', generation: 1 });
    expect(decision.intents).toEqual([
      stageChanged(STAGE, 1, from.status, 'succeeded', trigger),
      stageChanged('4_test', 1, 'pending', 'blocked', trigger),
    ]);
    return;
  }
  const generation = outcome.generation ?? 1;
  const changed =
    from.status === outcome.to ? [] : [stageChanged(STAGE, generation, from.status, outcome.to, trigger)];
  const commands = (outcome.commands ?? []).map((command) => expectedCommand(command, trigger, generation));
  expect(decision.intents).toEqual([...changed, ...commands]);
  expect(decision.project).not.toBe(project);
  expect(decision.project.currentStage).toBe(STAGE);
  expect(decision.project.stages[STAGE]).toMatchObject({
    status: outcome.to,
    generation,
    updatedAt: NOW,
    ...outcome.fields,
  });
  // Only the current stage changes.
  expect({ ...decision.project.stages, [STAGE]: null }).toEqual({ ...project.stages, [STAGE]: null });
}

describe.each(TABLE)('decide: %s', (_name, trigger, outcomes) => {
  test.each(CASES)('on a %s stage', (state) => {
    expectOutcome(projectIn(state), trigger, outcomes[state]);
  });

  test('changes nothing on an archived or a completed project, even where it would act', () => {
    for (const state of CASES.filter((c) => outcomes[c] !== undefined)) {
      for (const status of ['archived', 'completed'] as const) {
        const project = deepFreeze({ ...projectAt(STAGE, STATES[state] as Partial<StageState>), status });
        expect(decide(project, trigger, NOW)).toEqual({ project, intents: [] });
      }
    }
  });
});
