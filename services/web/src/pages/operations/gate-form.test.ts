import { describe, expect, test } from 'vitest';
import type { GateConfig } from '../../api/answers';
import {
  DEFAULT_GATE,
  fieldIssue,
  gateConfigBodyOf,
  gateFormOf,
  globalGateOf,
  otherIssues,
  overrideFormOf,
  overridesBodyOf,
  rolesOf,
  valueText,
} from './gate-form';

const buildGate: GateConfig = {
  required: true,
  point: 'after',
  approverRoles: ['qa_lead', 'delivery_manager'],
  approvalsNeeded: 2,
  expiresAfterMinutes: 60,
  allowSelfApproval: true,
};

describe('global gate form', () => {
  test('shows a configured stage as configured and the others with the default gate', () => {
    const form = gateFormOf({ '3_build': buildGate });
    expect(form['3_build']).toEqual({
      required: true,
      point: 'after',
      approverRoles: 'qa_lead, delivery_manager',
      approvalsNeeded: '2',
      expiresAfterMinutes: '60',
      allowSelfApproval: true,
    });
    expect(form['0_sales']).toEqual({
      required: false,
      point: 'before',
      approverRoles: 'delivery_manager',
      approvalsNeeded: '1',
      expiresAfterMinutes: '4320',
      allowSelfApproval: false,
    });
  });

  test('unchanged form gives back the config it was made from, and leaves unconfigured stages out', () => {
    const loaded = { '3_build': buildGate };
    expect(gateConfigBodyOf(gateFormOf(loaded), loaded, 4)).toEqual({
      stages: { '3_build': buildGate },
      expectedRevision: 4,
    });
  });

  test('an unconfigured stage someone changed is sent whole', () => {
    const form = gateFormOf({});
    form['4_test'] = { ...form['4_test'], required: true, approverRoles: 'qa_lead,  qa_lead_2 ' };
    expect(gateConfigBodyOf(form, {}, 0).stages).toEqual({
      '4_test': { ...DEFAULT_GATE, required: true, approverRoles: ['qa_lead', 'qa_lead_2'] },
    });
  });

  test('what was typed is sent as typed, for the API to judge', () => {
    const loaded = { '3_build': buildGate };
    const form = gateFormOf(loaded);
    form['3_build'] = {
      ...form['3_build'],
      approvalsNeeded: '',
      expiresAfterMinutes: '1.5',
      approverRoles: '',
    };
    expect(gateConfigBodyOf(form, loaded, 1).stages['3_build']).toMatchObject({
      approvalsNeeded: null,
      expiresAfterMinutes: 1.5,
      approverRoles: [],
    });
  });
});

describe('project override form', () => {
  test('fields a project does not override are left to inherit', () => {
    const form = overrideFormOf({ '3_build': { approvalsNeeded: 3, allowSelfApproval: false } });
    expect(form['3_build']).toEqual({
      required: '',
      point: '',
      approverRoles: '',
      approvalsNeeded: '3',
      expiresAfterMinutes: '',
      allowSelfApproval: 'false',
    });
    expect(Object.values(form['0_sales']).every((value) => value === '')).toBe(true);
  });

  test('round trip: only the stages and fields set are sent', () => {
    const loaded = { '3_build': { approvalsNeeded: 3, allowSelfApproval: false, point: 'after' as const } };
    expect(overridesBodyOf(overrideFormOf(loaded), loaded, 2)).toEqual({
      stages: { '3_build': { approvalsNeeded: 3, allowSelfApproval: false, point: 'after' } },
      expectedRevision: 2,
    });
  });

  test('a stage cleared of every field is sent as null so its override is dropped', () => {
    const loaded = { '3_build': { approvalsNeeded: 3 } };
    const form = overrideFormOf(loaded);
    form['3_build'] = { ...form['3_build'], approvalsNeeded: ' ' };
    form['4_test'] = { ...form['4_test'], required: 'true', approverRoles: 'qa_lead' };
    expect(overridesBodyOf(form, loaded, 2).stages).toEqual({
      '3_build': null,
      '4_test': { required: true, approverRoles: ['qa_lead'] },
    });
  });
});

describe('API issues beside their fields', () => {
  const issues = [
    { path: 'stages.3_build.approverRoles.1', message: 'must be a role name' },
    { path: 'stages.3_build.approvalsNeeded', message: 'Too small: expected number to be >=1' },
    { path: 'stages.3_build', message: 'Unrecognized key: "colour"' },
    { path: 'expectedRevision', message: 'Invalid input' },
  ];

  test('a field gets its own messages; one about a listed role names the role', () => {
    expect(fieldIssue(issues, '3_build', 'approverRoles', ['qa_lead', 'QA Lead'])).toBe(
      '"QA Lead": must be a role name',
    );
    expect(fieldIssue(issues, '3_build', 'approvalsNeeded')).toBe('Too small: expected number to be >=1');
    expect(fieldIssue(issues, '4_test', 'approvalsNeeded')).toBeUndefined();
    expect(fieldIssue(issues, '3_build', 'required')).toBeUndefined();
  });

  test('issues no field shows are kept for the form', () => {
    expect(otherIssues(issues).map((issue) => issue.path)).toEqual(['stages.3_build', 'expectedRevision']);
  });
});

describe('helpers', () => {
  test('roles split on commas and spaces', () => {
    expect(rolesOf(' a, b  c,,')).toEqual(['a', 'b', 'c']);
  });

  test('the global gate of a stage falls back to the default field by field', () => {
    expect(globalGateOf({ '3_build': buildGate }, '3_build')).toEqual(buildGate);
    expect(globalGateOf({}, '4_test')).toEqual(DEFAULT_GATE);
  });

  test('values read as the forms show them', () => {
    expect(valueText(true)).toBe('yes');
    expect(valueText(['a', 'b'])).toBe('a, b');
    expect(valueText(60)).toBe('60');
  });
});
