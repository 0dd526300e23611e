import { PIPELINE_ACTOR } from '@delivery/contracts';
import { decide } from './decide.js';
import { alice, at, bob, deepFreeze, freshProject, projectAt, storedFile } from './decide-fixtures.js';
import { changed, passed, Walk } from './decide-walk.js';
import { GATE_QUESTION_PATIENCE_MS, unansweredGateReasons } from './gate-question.js';
import type { StageState } from './project-state.js';

const stageAt = (state: Partial<StageState>): StageState => ({
  ...projectAt('3_build').stages['3_build'],
  ...state,
});
const asked = at(10);
const later = (ms: number) => new Date(asked.getTime() + ms);

describe('awaiting_approval only when an approval exists', () => {
  test('a project with no gates goes from sale to complete without ever awaiting an approval', () => {
    const walk = new Walk(freshProject());
    const rows: string[] = [];
    const record = (intents: ReturnType<Walk['step']>) => {
      for (const intent of intents)
        if (intent.type === 'stage_changed') rows.push(`${intent.stage}:${intent.from}>${intent.to}`);
      return intents;
    };
    record(walk.step({ type: 'project_created', actor: alice }));
    walk.fact({ sale: { confirmedBy: alice, confirmedAt: at(1), note: null } });
    record(walk.step({ type: 'sale_confirmed', actor: alice }));
    for (const stage of ['0_sales', '1_onboarding', '2_assignment'] as const) {
      if (stage === '1_onboarding') {
        walk.fact({ onboarding: { answers: { company: 'Acme' }, updatedBy: alice, updatedAt: at(2) } });
        record(walk.step({ type: 'onboarding_saved', actor: alice }));
      }
      if (stage === '2_assignment') {
        walk.fact({ assignees: [{ id: 'u-bob', name: 'Bob', assignedBy: alice, assignedAt: at(3) }] });
        record(walk.step({ type: 'assignment_updated', actor: alice }));
      }
      record(walk.step(passed(stage, 'before')));
      record(walk.step(passed(stage, 'after')));
    }
    walk.fact({ files: [storedFile('artifact', 'site.zip')] });
    record(walk.step({ type: 'artifact_upload', actor: bob }));
    expect(walk.stage('3_build')).toMatchObject({ status: 'ready', gatePoint: 'before', blockedReasons: [] });
    expect(rows.filter((row) => row.includes('awaiting_approval'))).toEqual([]);
    // Each no-gate stage: its contract held (ready), its work (running), done: no row about approvals.
    expect(rows.filter((row) => row.startsWith('1_onboarding'))).toEqual([
      '1_onboarding:pending>blocked',
      '1_onboarding:blocked>ready',
      '1_onboarding:ready>running',
      '1_onboarding:running>succeeded',
    ]);
  });

  test('a job stage whose review is being asked keeps running; a repeated success asks nothing again', () => {
    const walk = new Walk(projectAt('3_build', { status: 'running', jobId: 'job-1', startedAt: at(1) }));
    const job = { stage: '3_build', generation: 1, jobId: 'job-1', attempt: 1 } as const;
    expect(walk.step({ type: 'job_succeeded', ...job, result: {} })).toEqual([
      { type: 'evaluate_gate', stage: '3_build', generation: 1, point: 'after', requestedBy: PIPELINE_ACTOR },
    ]);
    expect(walk.stage('3_build')).toMatchObject({ status: 'running', gatePoint: 'after' });
    walk.ignored({ type: 'job_succeeded', ...job, attempt: 2, result: {} });
    walk.ignored({ type: 'job_failed', ...job, error: 'late', final: true });
    expect(
      walk.step({
        type: 'approval_requested',
        stage: '3_build',
        generation: 1,
        point: 'after',
        approvalId: 'ap-1',
      }),
    ).toEqual([changed('3_build', 1, 'running', 'awaiting_approval', 'approval_requested')]);
  });
});

describe('a gate question hitl has not answered', () => {
  test.each([
    ['just asked, before', { status: 'ready', gatePoint: 'before', updatedAt: asked }, later(1_000), []],
    [
      'asked before, overdue',
      { status: 'ready', gatePoint: 'before', updatedAt: asked },
      later(GATE_QUESTION_PATIENCE_MS),
      ['gate_unanswered'],
    ],
    [
      'asked after, overdue',
      { status: 'running', gatePoint: 'after', updatedAt: asked },
      later(GATE_QUESTION_PATIENCE_MS + 1),
      ['gate_unanswered'],
    ],
    [
      'a running job (nothing asked)',
      { status: 'running', gatePoint: null, updatedAt: asked },
      later(10 ** 9),
      [],
    ],
    [
      'an approval exists (awaiting it is no unanswered question)',
      { status: 'awaiting_approval', gatePoint: 'before', approvalId: 'ap-1', updatedAt: asked },
      later(10 ** 9),
      [],
    ],
    [
      'ready ahead, nothing asked',
      { status: 'ready', gatePoint: null, updatedAt: asked },
      later(10 ** 9),
      [],
    ],
  ] as [string, Partial<StageState>, Date, string[]][])('%s', (_name, state, now, codes) => {
    expect(unansweredGateReasons('3_build', stageAt(state), now).map((reason) => reason.code)).toEqual(codes);
  });

  test('says who can act and what to do', () => {
    const [reason] = unansweredGateReasons(
      '4_test',
      stageAt({ status: 'ready', gatePoint: 'before', updatedAt: asked }),
      later(GATE_QUESTION_PATIENCE_MS),
    );
    expect(reason).toMatchObject({
      code: 'gate_unanswered',
      whoCanAct: ['operator', 'delivery_manager'],
      action: 'manual_resume',
    });
    expect(reason?.message).toContain('hitl has not answered');
    expect(reason?.message).toContain('dead-lettered');
  });

  test('a resume asks again only once the answer is overdue, as the person who resumed', () => {
    const project = deepFreeze(
      projectAt('3_build', { status: 'ready', gatePoint: 'before', updatedAt: asked }),
    );
    const early = decide(project, { type: 'manual_resume', actor: alice }, later(1_000));
    expect(early).toEqual({ project, intents: [] });
    const overdue = decide(
      project,
      { type: 'manual_resume', actor: alice },
      later(GATE_QUESTION_PATIENCE_MS),
    );
    expect(overdue.intents).toEqual([
      { type: 'evaluate_gate', stage: '3_build', generation: 1, point: 'before', requestedBy: alice },
    ]);
    expect(overdue.project.stages['3_build']).toMatchObject({
      status: 'ready',
      gatePoint: 'before',
      updatedAt: later(GATE_QUESTION_PATIENCE_MS),
      note: 'Alice asked again whether an approval is needed',
    });
  });
});
