import type { Actor, GateConfig, Identity } from '@delivery/contracts';
import {
  type ConfigChange,
  changeGlobalConfig,
  changeOverrides,
  mayChangeOverrides,
  mayLoosenOverrides,
  type OverrideRefusal,
  type OverrideRules,
  type OverridesChange,
} from './gate-config-change.js';
import type { GlobalGateConfig, ProjectGateOverrides } from './gate-resolution.js';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const admin: Actor = { kind: 'user', id: 'u-ada', name: 'Ada Admin' };

const buildReview: GateConfig = {
  required: true,
  point: 'after',
  approverRoles: ['qa_lead'],
  approvalsNeeded: 2,
  expiresAfterMinutes: 60,
  allowSelfApproval: false,
};
const salesSignOff: GateConfig = {
  ...buildReview,
  point: 'before',
  approverRoles: ['sales_lead'],
  approvalsNeeded: 1,
};

/** The same gate with its keys in another order: no change. */
const reordered = (gate: GateConfig): GateConfig =>
  Object.fromEntries(Object.entries(gate).reverse()) as GateConfig;

describe('changeGlobalConfig', () => {
  test('sets the stages named, whole, keeps the others, and records before and after', () => {
    const current: GlobalGateConfig = { '0_sales': salesSignOff, '3_build': buildReview };
    const copy = structuredClone(current);
    const change = changeGlobalConfig(
      current,
      { '3_build': { ...buildReview, approvalsNeeded: 3 } },
      admin,
      NOW,
    );

    expect(current).toEqual(copy);
    expect(change.next).toEqual({
      '0_sales': salesSignOff,
      '3_build': { ...buildReview, approvalsNeeded: 3 },
    });
    expect(change.audit).toEqual([
      {
        id: expect.any(String),
        at: NOW,
        action: 'gate_config.changed',
        actor: admin,
        projectId: null,
        stage: null,
        approvalId: null,
        comment: null,
        before: copy,
        after: change.next,
      },
    ]);
  });

  test('configuring a stage for the first time is a change', () => {
    const change = changeGlobalConfig({}, { '4_test': buildReview }, admin, NOW);
    expect(change.next).toEqual({ '4_test': buildReview });
    expect(change.audit.map((record) => [record.before, record.after])).toEqual([
      [{}, { '4_test': buildReview }],
    ]);
  });

  test.each([
    ['an empty change', {}],
    ['the same gate again', { '3_build': buildReview }],
    ['the same gate with its fields in another order', { '3_build': reordered(buildReview) }],
  ])('%s changes nothing and is not audited', (_name, changeOf: GlobalGateConfig) => {
    const current: GlobalGateConfig = { '3_build': buildReview };
    const change = changeGlobalConfig(current, changeOf, admin, NOW);
    expect(change.next).toEqual(current);
    expect(change.audit).toEqual([]);
  });
});

describe('changeOverrides', () => {
  const current: ProjectGateOverrides = { '3_build': { approvalsNeeded: 1 }, '4_test': { required: false } };
  const byAdmin: OverrideRules = { global: {}, project: undefined, mayLoosen: true };

  /** The change as decided for a caller who may loosen, so never refused. */
  function decided(
    overrides: ProjectGateOverrides,
    change: OverridesChange,
    rules: OverrideRules = byAdmin,
  ): ConfigChange<ProjectGateOverrides> {
    const outcome = changeOverrides('p-9', { stages: overrides }, change, rules, admin, NOW);
    if ('refused' in outcome) throw new Error(`refused: ${outcome.fields.join(', ')}`);
    return outcome;
  }

  test("sets a stage's override and records the project, actor, before and after", () => {
    const copy = structuredClone(current);
    const change = decided(current, { '0_sales': { required: true, point: 'before' } });

    expect(current).toEqual(copy);
    expect(change.next).toEqual({ ...copy, '0_sales': { required: true, point: 'before' } });
    expect(change.audit).toEqual([
      {
        id: expect.any(String),
        at: NOW,
        action: 'gate_override.changed',
        actor: admin,
        projectId: 'p-9',
        stage: null,
        approvalId: null,
        comment: null,
        before: copy,
        after: change.next,
        loosened: [],
      },
    ]);
  });

  test("replaces a stage's override whole: fields left out are no longer overridden", () => {
    const change = decided(current, { '3_build': { expiresAfterMinutes: 30 } });
    expect(change.next).toEqual({ '3_build': { expiresAfterMinutes: 30 }, '4_test': { required: false } });
    expect(change.audit).toHaveLength(1);
  });

  test.each([
    ['null', null],
    ['an empty object', {}],
  ])("%s clears the stage's override, leaving the others", (_name, cleared) => {
    const change = decided(current, { '3_build': cleared });
    expect(change.next).toEqual({ '4_test': { required: false } });
    expect(Object.hasOwn(change.next, '3_build')).toBe(false);
    expect(change.audit.map((record) => [record.before, record.after])).toEqual([
      [current, { '4_test': { required: false } }],
    ]);
  });

  test.each([
    ['an empty change', {}],
    ['clearing a stage without an override', { '6_complete': null }],
    ['clearing with an empty object a stage without an override', { '6_complete': {} }],
  ])('%s changes nothing and is not audited', (_name, changeOf) => {
    const change = decided(current, changeOf);
    expect(change.next).toEqual(current);
    expect(change.audit).toEqual([]);
  });

  test('the same override again by the admin who set it changes nothing and is not audited', () => {
    const owned = { stages: current, adminFields: ['3_build.approvalsNeeded', '4_test.required'] };
    const change = changeOverrides('p-9', owned, { '3_build': { approvalsNeeded: 1 } }, byAdmin, admin, NOW);
    expect(change).toMatchObject({ audit: [] });
  });

  test("an admin writing what a manager set adopts it (audited); a manager's change of a field drops the admin's authority over it", () => {
    const adopted = decided(current, { '3_build': { approvalsNeeded: 1 } });
    expect(adopted.next).toEqual(current);
    expect(adopted.adminFields).toEqual(['3_build.approvalsNeeded']);
    expect(adopted.audit).toHaveLength(1);

    const byManager: OverrideRules = { ...byAdmin, mayLoosen: false };
    const owned = { stages: current, adminFields: ['3_build.approvalsNeeded', '4_test.required'] };
    const changed = changeOverrides(
      'p-9',
      owned,
      { '3_build': { approvalsNeeded: 3 } },
      byManager,
      admin,
      NOW,
    );
    expect(changed).toMatchObject({ adminFields: ['4_test.required'] });
  });

  describe('against the global config', () => {
    const global = { '3_build': buildReview };
    const byManager: OverrideRules = { global, project: undefined, mayLoosen: false };
    const refusal = (overrides: ProjectGateOverrides, change: OverridesChange) =>
      changeOverrides('p-9', { stages: overrides }, change, byManager, admin, NOW) as OverrideRefusal;

    test('refuses a loosening by someone who may not loosen, naming each field', () => {
      expect(
        refusal({}, { '3_build': { required: false, approvalsNeeded: 1 }, '0_sales': { required: true } }),
      ).toEqual({
        refused: 'override_loosens_gate',
        fields: ['3_build.required', '3_build.approvalsNeeded'],
      });
    });

    test('records what an admin loosened beside before and after', () => {
      const change = decided(
        {},
        { '3_build': { allowSelfApproval: true } },
        { ...byManager, mayLoosen: true },
      );
      expect(change.audit).toMatchObject([
        {
          before: {},
          after: { '3_build': { allowSelfApproval: true } },
          loosened: ['3_build.allowSelfApproval'],
        },
      ]);
    });

    test('lets anyone tighten, or drop an override that tightened', () => {
      const tightened = decided({}, { '3_build': { approvalsNeeded: 3 } }, byManager);
      expect(tightened.audit).toMatchObject([{ loosened: [] }]);
      const dropped = decided(tightened.next, { '3_build': null }, byManager);
      expect(dropped.next).toEqual({});
      expect(dropped.audit).toMatchObject([{ loosened: [] }]);
    });

    test('writing the same loosened override again changes nothing, so it is not refused', () => {
      const loosened = { '3_build': { required: false } };
      expect(decided(loosened, loosened, byManager).audit).toEqual([]);
    });
  });
});

describe('mayChangeOverrides', () => {
  const who = (id: string, roles: string[], kind: Identity['kind'] = 'user'): Identity => ({
    kind,
    id,
    name: id,
    roles,
  });
  const managedByDee = { deliveryManagerId: 'u-dee' };

  test.each([
    ['an admin, for any project', who('u-ada', ['admin']), managedByDee, true],
    ['an admin, for a project not known here yet', who('u-ada', ['admin']), undefined, true],
    ['the delivery manager of the project', who('u-dee', ['delivery_manager']), managedByDee, true],
    ['a delivery manager of another project', who('u-eve', ['delivery_manager']), managedByDee, false],
    [
      'a delivery manager, for a project without a manager',
      who('u-dee', ['delivery_manager']),
      { deliveryManagerId: null },
      false,
    ],
    [
      'a delivery manager, for a project not known here yet',
      who('u-dee', ['delivery_manager']),
      undefined,
      false,
    ],
    ['the named manager without the delivery_manager role', who('u-dee', ['qa_lead']), managedByDee, false],
    ['an operator', who('u-op', ['operator']), managedByDee, false],
    ['a person without roles', who('u-dee', []), managedByDee, false],
    ['a service', who('pipeline', ['service']), managedByDee, false],
  ] as const)('%s → %s', (_name, person, project, allowed) => {
    expect(mayChangeOverrides(person, project)).toBe(allowed);
  });
});

describe('mayLoosenOverrides', () => {
  test.each([
    [['admin'], true],
    [['delivery_manager', 'qa_lead'], false],
    [['operator'], false],
    [['service'], false],
  ])('%j → %s', (roles, allowed) => {
    expect(mayLoosenOverrides({ kind: 'user', id: 'u', name: 'u', roles })).toBe(allowed);
  });
});
