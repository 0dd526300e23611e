import { describe, expect, test } from 'vitest';
import type { Approval } from '../../api/answers';
import { ApiError } from '../../api/client';
import {
  contextEntries,
  decisionErrorText,
  inboxQueryOf,
  projectNameOf,
  responsibleEntries,
  sendBackProblem,
  timeLeft,
  titleOf,
  votesProgress,
} from './approval-view';

const approval = (overrides: Partial<Approval> = {}): Approval => ({
  id: '7c1f0a4e-0000-4000-8000-000000000001',
  projectId: 'p-1',
  stage: '3_build',
  generation: 1,
  point: 'before',
  attempt: 1,
  status: 'pending',
  gate: {
    required: true,
    point: 'before',
    approverRoles: ['qa_lead'],
    approvalsNeeded: 2,
    expiresAfterMinutes: 60,
    allowSelfApproval: false,
  },
  decidedBy: 'global',
  requestedBy: { kind: 'service', id: 'pipeline', name: 'pipeline' },
  responsiblePeople: [],
  context: { projectName: 'Acme site', client: 'Acme' },
  votes: [],
  sentBack: null,
  requestedAt: '2026-11-26T10:00:00Z',
  expiresAt: '2026-11-26T11:00:00Z',
  closedAt: null,
  previousApprovalId: null,
  supersededByGeneration: null,
  ...overrides,
});

describe('an approval as the inbox shows it', () => {
  test('is titled by the project name from its context and the stage label', () => {
    expect(titleOf(approval())).toBe('Acme site · Build');
    expect(projectNameOf(approval({ context: {} }))).toBe('p-1');
    expect(projectNameOf(approval({ context: { projectName: '  ' } }))).toBe('p-1');
  });

  test('shows the rest of its context with readable labels, without the name it is titled by', () => {
    expect(
      contextEntries({ projectName: 'Acme site', client: 'Acme', dueDate: '2026-12-01', n: 3, x: null }),
    ).toEqual([
      ['Client', 'Acme'],
      ['Due date', '2026-12-01'],
      ['N', '3'],
    ]);
  });

  test('counts its votes against what the gate needs', () => {
    const vote = {
      by: { kind: 'user' as const, id: 'u1', name: 'Ann' },
      at: '2026-11-26T10:10:00Z',
      comment: null,
    };
    expect(votesProgress(approval({ votes: [vote] }))).toBe('1 of 2 approvals');
    expect(votesProgress(approval({ gate: { ...approval().gate, approvalsNeeded: 1 } }))).toBe(
      '0 of 1 approval',
    );
  });
});

describe('whose work an approval reviews', () => {
  test('names each person responsible with what they did, in the order the API gives', () => {
    expect(
      responsibleEntries(
        approval({
          responsiblePeople: [
            { id: 'u-bea', name: 'Bea', reasons: ['requested', 'uploaded_artifact'] },
            { id: 'dev-1', name: 'Devi', reasons: ['assignee'] },
          ],
        }),
      ),
    ).toEqual([
      { id: 'u-bea', text: 'Bea (asked for it, uploaded an artifact)' },
      { id: 'dev-1', text: 'Devi (assigned to the project)' },
    ]);
  });

  test('names nobody when the list is empty (as hitl answers for approvals asked before it existed)', () => {
    expect(responsibleEntries(approval({ responsiblePeople: [] }))).toEqual([]);
  });
});

describe('time left until an approval expires', () => {
  const now = new Date('2026-11-26T10:00:00Z').getTime();
  test.each([
    ['2026-11-28T13:30:00Z', '2 d 3 h left'],
    ['2026-11-26T11:05:30Z', '1 h 5 min left'],
    ['2026-11-26T10:45:00Z', '45 min left'],
    ['2026-11-26T10:00:30Z', 'less than a minute left'],
    ['2026-11-26T10:00:00Z', 'expired'],
    ['2026-11-26T09:00:00Z', 'expired'],
    ['not a date', 'expired'],
  ])('%s → %s', (expiresAt, expected) => {
    expect(timeLeft(expiresAt, now)).toBe(expected);
  });
});

describe('deciding', () => {
  test('sending back needs a comment that says what to rework', () => {
    expect(sendBackProblem('   ')).toBe('Say what needs rework before sending back');
    expect(sendBackProblem('the logo is missing')).toBeUndefined();
  });

  test('a refusal reads as the API said it, with what kind of refusal it is', () => {
    const forbidden = new ApiError(403, 'forbidden', 'deciding needs one of the roles qa_lead');
    expect(decisionErrorText(forbidden)).toBe(
      'You may not decide this approval: deciding needs one of the roles qa_lead',
    );
    const decided = new ApiError(409, 'conflict', 'the approval is sent_back', [], {
      reason: 'not_pending',
      status: 'sent_back',
    });
    expect(decisionErrorText(decided)).toBe(
      'This approval can no longer be decided: the approval is sent_back (it is sent back)',
    );
    const voted = new ApiError(409, 'conflict', 'u1 has already approved', [], { status: 'pending' });
    expect(decisionErrorText(voted)).toBe('This approval can no longer be decided: u1 has already approved');
    expect(decisionErrorText(new ApiError(503, 'upstream_unavailable', 'hitl is unavailable'))).toBe(
      'hitl is unavailable',
    );
  });
});

describe('inbox filters', () => {
  test('come from the URL, only the ones the API knows, with a page size and the cursor', () => {
    const params = new URLSearchParams('stage=3_build&role=qa_lead&projectId=&x=1');
    expect(inboxQueryOf(params)).toEqual({ limit: 50, stage: '3_build', role: 'qa_lead' });
    expect(inboxQueryOf(new URLSearchParams('stage=9_party'), 'abc')).toEqual({ limit: 50, cursor: 'abc' });
  });
});
