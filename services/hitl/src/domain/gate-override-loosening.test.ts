import type { GateConfig } from '@delivery/contracts';
import { overrideLoosenings } from './gate-override-loosening.js';
import type { GlobalGateConfig, ProjectGateOverrides } from './gate-resolution.js';
import { type GateField, loosenedFields } from './gate-strictness.js';

const gate: GateConfig = {
  required: true,
  point: 'before',
  approverRoles: ['qa_lead', 'security_lead'],
  approvalsNeeded: 2,
  expiresAfterMinutes: 120,
  allowSelfApproval: false,
};

describe('loosenedFields', () => {
  test.each<[string, Partial<GateConfig>, GateField[]]>([
    ['the same gate', {}, []],
    ['required true → false', { required: false }, ['required']],
    ['point before → after', { point: 'after' }, ['point']],
    ['a role added', { approverRoles: ['qa_lead', 'security_lead', 'delivery_manager'] }, ['approverRoles']],
    ['a role swapped for another', { approverRoles: ['qa_lead', 'viewer'] }, ['approverRoles']],
    ['a role dropped', { approverRoles: ['qa_lead'] }, []],
    ['the same roles in another order', { approverRoles: ['security_lead', 'qa_lead'] }, []],
    ['fewer approvals', { approvalsNeeded: 1 }, ['approvalsNeeded']],
    ['more approvals', { approvalsNeeded: 3 }, []],
    ['a longer expiry', { expiresAfterMinutes: 121 }, ['expiresAfterMinutes']],
    ['a shorter expiry', { expiresAfterMinutes: 119 }, []],
    ['self-approval on', { allowSelfApproval: true }, ['allowSelfApproval']],
    [
      'everything looser, each field named in declaration order',
      {
        allowSelfApproval: true,
        expiresAfterMinutes: 500,
        approvalsNeeded: 1,
        approverRoles: ['viewer'],
        point: 'after',
        required: false,
      },
      ['required', 'point', 'approverRoles', 'approvalsNeeded', 'expiresAfterMinutes', 'allowSelfApproval'],
    ],
  ])('of a required gate: %s → %j', (_name, change, fields) => {
    expect(loosenedFields(gate, { ...gate, ...change })).toEqual(fields);
  });

  test('point after → before on a required gate drops the review after it', () => {
    expect(loosenedFields({ ...gate, point: 'after' }, gate)).toEqual(['point']);
  });

  test.each<[string, Partial<GateConfig>]>([
    ['requiring it', { required: true }],
    ['requiring it at the other point', { required: true, point: 'after' }],
    [
      'requiring it with any approvers, count, expiry or self-approval',
      {
        required: true,
        approverRoles: ['viewer'],
        approvalsNeeded: 1,
        expiresAfterMinutes: 999,
        allowSelfApproval: true,
      },
    ],
    ['changing fields while it stays not required', { approvalsNeeded: 1, allowSelfApproval: true }],
  ])('of a gate that is not required, nothing loosens: %s', (_name, change) => {
    const off = { ...gate, required: false };
    expect(loosenedFields(off, { ...off, ...change })).toEqual([]);
  });

  test('required false → true tightens', () => {
    expect(loosenedFields({ ...gate, required: false }, gate)).toEqual([]);
  });
});

describe('overrideLoosenings', () => {
  const global: GlobalGateConfig = { '3_build': gate };
  const noProject = { global, project: undefined };

  test.each<[string, ProjectGateOverrides, ProjectGateOverrides, string[]]>([
    ['a loosening of the global gate', {}, { '3_build': { required: false } }, ['3_build.required']],
    [
      'several stages, each field named',
      {},
      { '3_build': { point: 'after', approvalsNeeded: 1 } },
      ['3_build.point', '3_build.approvalsNeeded'],
    ],
    [
      'a tightening of the global gate',
      {},
      { '3_build': { approvalsNeeded: 3, approverRoles: ['qa_lead'] } },
      [],
    ],
    [
      'a gate where the global config asks none',
      {},
      { '0_sales': { required: true, allowSelfApproval: true } },
      [],
    ],
    // Back to the admin's baseline: loosening the project's own rule, never the admin's.
    ['dropping an override that tightened', { '3_build': { approvalsNeeded: 5 } }, {}, []],
    [
      'easing a tightening back towards the baseline',
      { '3_build': { approvalsNeeded: 5 } },
      { '3_build': { approvalsNeeded: 2 } },
      [],
    ],
    [
      'easing a tightening below the baseline',
      { '3_build': { approvalsNeeded: 5 } },
      { '3_build': { approvalsNeeded: 1 } },
      ['3_build.approvalsNeeded'],
    ],
    // An admin's loosening stays the project's to keep, and to tighten from, not to go beyond.
    [
      'keeping what an admin loosened',
      { '3_build': { approvalsNeeded: 1 } },
      { '3_build': { approvalsNeeded: 1 } },
      [],
    ],
    [
      'going beyond what an admin loosened',
      { '3_build': { expiresAfterMinutes: 240 } },
      { '3_build': { expiresAfterMinutes: 241 } },
      ['3_build.expiresAfterMinutes'],
    ],
    [
      'a gate an admin switched off, required again with anything',
      { '3_build': { required: false } },
      { '3_build': { approvalsNeeded: 1, required: true, allowSelfApproval: true } },
      [],
    ],
  ])('%s → %j', (_name, current, next, fields) => {
    expect(overrideLoosenings(noProject, current, next)).toEqual(fields);
  });

  test('a project that requires manual review has a required review after each stage with automated work', () => {
    const reviewed = { global: {}, project: { requireManualReview: true } };
    expect(overrideLoosenings(reviewed, {}, { '4_test': { required: false } })).toEqual(['4_test.required']);
    expect(overrideLoosenings(reviewed, {}, { '4_test': { point: 'before' } })).toEqual(['4_test.point']);
    // 2_assignment has no automated work, so no review to loosen.
    expect(overrideLoosenings(reviewed, {}, { '2_assignment': { required: false } })).toEqual([]);
    expect(overrideLoosenings(reviewed, {}, { '4_test': { approvalsNeeded: 2 } })).toEqual([]);
  });
});
