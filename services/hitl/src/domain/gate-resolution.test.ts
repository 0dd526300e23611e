import { GATE_RULES, type GateConfig, type GateRule, STAGES, type Stage } from '@delivery/contracts';
import {
  DEFAULT_GATE,
  type GateOverride,
  type GateProjectFacts,
  type GlobalGateConfig,
  gateApplies,
  type ProjectGateOverrides,
  resolveGate,
} from './gate-resolution.js';

// Written out here rather than taken from hasAutomatedWork, so the test is an independent oracle.
const STAGES_WITH_AUTOMATED_WORK: readonly Stage[] = ['3_build', '4_test', '5_defect_validation'];
const ALL_FIELDS: (keyof GateConfig)[] = [
  'required',
  'point',
  'approverRoles',
  'approvalsNeeded',
  'expiresAfterMinutes',
  'allowSelfApproval',
];

// Values unlike DEFAULT_GATE's, so the matrix can tell which layer a field came from.
const globalGate = (required: boolean, point: GateConfig['point']): GateConfig => ({
  required,
  point,
  approverRoles: ['qa_lead'],
  approvalsNeeded: 2,
  expiresAfterMinutes: 60,
  allowSelfApproval: true,
});

const otherStage = (stage: Stage): Stage => (stage === '0_sales' ? '6_complete' : '0_sales');

interface GlobalVariant {
  name: string;
  config: (stage: Stage) => GlobalGateConfig;
  gate: GateConfig | undefined;
}

const globalVariants: GlobalVariant[] = [
  { name: 'no global config', config: () => ({}), gate: undefined },
  {
    name: 'global config of another stage only',
    config: (stage) => ({ [otherStage(stage)]: globalGate(true, 'before') }),
    gate: undefined,
  },
  ...([true, false] as const).flatMap((required) =>
    (['before', 'after'] as const).map((point) => {
      const gate = globalGate(required, point);
      return {
        name: `global ${required ? 'required' : 'not required'} ${point}`,
        // Other stages configured differently must not leak into this one.
        config: (stage: Stage) => ({ [stage]: gate, [otherStage(stage)]: globalGate(!required, 'after') }),
        gate,
      };
    }),
  ),
];

interface OverrideVariant {
  name: string;
  overrides: (stage: Stage) => ProjectGateOverrides | undefined;
  /** The stage's override as the oracle reads it. */
  override: GateOverride;
}

const stageOverride = (name: string, override: GateOverride): OverrideVariant => ({
  name,
  overrides: (stage) => ({ [stage]: override }),
  override,
});

const overrideVariants: OverrideVariant[] = [
  { name: 'no overrides at all', overrides: () => undefined, override: {} },
  {
    name: 'an override of another stage only',
    overrides: (stage) => ({ [otherStage(stage)]: { required: true, point: 'after' } }),
    override: {},
  },
  stageOverride('an empty override', {}),
  stageOverride('an override whose only field is undefined', { required: undefined }),
  stageOverride('override required=true', { required: true }),
  stageOverride('override required=false', { required: false }),
  stageOverride('override point=before', { point: 'before' }),
  stageOverride('override point=after', { point: 'after' }),
  stageOverride('override approverRoles', { approverRoles: ['release_manager', 'cto'] }),
  stageOverride('override approvalsNeeded', { approvalsNeeded: 3 }),
  stageOverride('override expiresAfterMinutes', { expiresAfterMinutes: 15 }),
  stageOverride('override allowSelfApproval=true', { allowSelfApproval: true }),
  stageOverride('override allowSelfApproval=false', { allowSelfApproval: false }),
  stageOverride('a full override', {
    required: true,
    point: 'before',
    approverRoles: ['security'],
    approvalsNeeded: 4,
    expiresAfterMinutes: 5,
    allowSelfApproval: false,
  }),
];

const projectVariants: { name: string; project: GateProjectFacts | undefined }[] = [
  { name: 'unknown project', project: undefined },
  { name: 'requireManualReview=false', project: { requireManualReview: false } },
  { name: 'requireManualReview=true', project: { requireManualReview: true } },
];

interface Expected {
  gate: GateConfig;
  decidedBy: GateRule;
  applied: Record<GateRule, boolean>;
  fields: Record<GateRule, (keyof GateConfig)[]>;
}

/** The precedence, plainly: override fields > manual review > global > default. */
function oracle(
  stage: Stage,
  global: GateConfig | undefined,
  override: GateOverride,
  project?: GateProjectFacts,
) {
  const base = global ?? DEFAULT_GATE;
  const manualReview = project?.requireManualReview === true && STAGES_WITH_AUTOMATED_WORK.includes(stage);
  const gate: GateConfig = {
    required: override.required ?? (manualReview ? true : base.required),
    point: override.point ?? (manualReview ? 'after' : base.point),
    approverRoles: override.approverRoles ?? base.approverRoles,
    approvalsNeeded: override.approvalsNeeded ?? base.approvalsNeeded,
    expiresAfterMinutes: override.expiresAfterMinutes ?? base.expiresAfterMinutes,
    allowSelfApproval: override.allowSelfApproval ?? base.allowSelfApproval,
  };
  const overrideFields = ALL_FIELDS.filter((field) => override[field] !== undefined);
  const applied = {
    default: true,
    global: global !== undefined,
    manual_review: manualReview,
    project_override: overrideFields.length > 0,
  };
  let decidedBy: GateRule = 'default';
  if (applied.global) decidedBy = 'global';
  if (applied.manual_review) decidedBy = 'manual_review';
  if (applied.project_override) decidedBy = 'project_override';
  const fields: Expected['fields'] = {
    default: ALL_FIELDS,
    global: global ? ALL_FIELDS : [],
    manual_review: manualReview ? ['required', 'point'] : [],
    project_override: overrideFields,
  };
  return { gate, decidedBy, applied, fields } satisfies Expected;
}

const matrix = STAGES.flatMap((stage) =>
  globalVariants.flatMap((global) =>
    overrideVariants.flatMap((override) =>
      projectVariants.map((project) => ({ stage, global, override, project })),
    ),
  ),
);

describe('resolveGate over every stage × global × override × project', () => {
  test.each(matrix.map((c) => [`${c.stage}, ${c.global.name}, ${c.override.name}, ${c.project.name}`, c]))(
    '%s',
    (_name, { stage, global, override, project }) => {
      const globalConfig = global.config(stage);
      const overrides = override.overrides(stage);
      const inputs = structuredClone({ globalConfig, overrides, project: project.project });

      const resolved = resolveGate(globalConfig, overrides, project.project, stage);
      const expected = oracle(stage, global.gate, override.override, project.project);

      expect(resolved.stage).toBe(stage);
      for (const field of ALL_FIELDS)
        expect([field, resolved.gate[field]]).toEqual([field, expected.gate[field]]);
      expect(Object.keys(resolved.gate).sort()).toEqual([...ALL_FIELDS].sort());
      expect(resolved.decidedBy).toBe(expected.decidedBy);
      expect(resolved.layers.map((layer) => layer.rule)).toEqual(GATE_RULES);
      for (const layer of resolved.layers) {
        expect([layer.rule, layer.applied]).toEqual([layer.rule, expected.applied[layer.rule]]);
        expect([layer.rule, [...layer.fields].sort()]).toEqual([
          layer.rule,
          [...expected.fields[layer.rule]].sort(),
        ]);
        expect(layer.why).toEqual(expect.any(String));
      }
      // Pure: the caller's config is read, never written.
      expect({ globalConfig, overrides, project: project.project }).toEqual(inputs);
    },
  );

  test('the matrix reaches every rule and both answers of required and point', () => {
    const outcomes = matrix.map(({ stage, global, override, project }) =>
      resolveGate(global.config(stage), override.overrides(stage), project.project, stage),
    );
    expect(new Set(outcomes.map((outcome) => outcome.decidedBy))).toEqual(new Set(GATE_RULES));
    expect(new Set(outcomes.map((outcome) => outcome.gate.required))).toEqual(new Set([true, false]));
    expect(new Set(outcomes.map((outcome) => outcome.gate.point))).toEqual(new Set(['before', 'after']));
  });
});

describe('resolveGate, by example', () => {
  const qaReview: GateConfig = {
    required: true,
    point: 'before',
    approverRoles: ['qa_lead'],
    approvalsNeeded: 2,
    expiresAfterMinutes: 120,
    allowSelfApproval: false,
  };

  test('a stage nobody configured needs no approval', () => {
    const resolved = resolveGate({}, undefined, undefined, '2_assignment');
    expect(DEFAULT_GATE.required).toBe(false);
    expect(resolved.gate).toEqual(DEFAULT_GATE);
    expect(resolved.decidedBy).toBe('default');
  });

  test('the global config decides when the project has no say', () => {
    const resolved = resolveGate({ '4_test': qaReview }, {}, { requireManualReview: false }, '4_test');
    expect(resolved.gate).toEqual(qaReview);
    expect(resolved.decidedBy).toBe('global');
    expect(resolved.layers.find((layer) => layer.rule === 'manual_review')?.why).toBe(
      'the project does not require manual review',
    );
  });

  test('requireManualReview turns a build into a required after-review by the global approvers', () => {
    const resolved = resolveGate(
      { '3_build': { ...qaReview, required: false } },
      {},
      { requireManualReview: true },
      '3_build',
    );
    expect(resolved.gate).toEqual({ ...qaReview, required: true, point: 'after' });
    expect(resolved.decidedBy).toBe('manual_review');
  });

  test('requireManualReview leaves a stage without automated work alone', () => {
    const resolved = resolveGate({}, undefined, { requireManualReview: true }, '1_onboarding');
    expect(resolved.gate).toEqual(DEFAULT_GATE);
    expect(resolved.decidedBy).toBe('default');
    expect(resolved.layers.find((layer) => layer.rule === 'manual_review')).toEqual({
      rule: 'manual_review',
      applied: false,
      fields: [],
      why: '1_onboarding has no automated work to review',
    });
  });

  test("a project's override of a field beats manual review; the other fields still come from below", () => {
    const resolved = resolveGate(
      { '5_defect_validation': qaReview },
      { '5_defect_validation': { required: false } },
      { requireManualReview: true },
      '5_defect_validation',
    );
    expect(resolved.gate).toEqual({ ...qaReview, required: false, point: 'after' });
    expect(resolved.decidedBy).toBe('project_override');
    expect(resolved.layers.find((layer) => layer.rule === 'project_override')).toEqual({
      rule: 'project_override',
      applied: true,
      fields: ['required'],
      why: 'the project overrides required',
    });
  });

  test('an unknown project is resolved on the global config alone, and says so', () => {
    const resolved = resolveGate({ '3_build': qaReview }, undefined, undefined, '3_build');
    expect(resolved.gate).toEqual(qaReview);
    expect(resolved.layers.find((layer) => layer.rule === 'manual_review')?.why).toBe(
      'the project is not known here yet',
    );
  });
});

describe('gateApplies', () => {
  test.each([
    [true, 'before', 'before', true],
    [true, 'after', 'after', true],
    [true, 'before', 'after', false],
    [true, 'after', 'before', false],
    [false, 'before', 'before', false],
    [false, 'after', 'after', false],
  ] as const)('required=%s at %s, asked at %s → %s', (required, gatePoint, askedAt, applies) => {
    expect(gateApplies({ ...DEFAULT_GATE, required, point: gatePoint }, askedAt)).toBe(applies);
  });
});

describe("a project override's authority", () => {
  const strict: GateConfig = {
    required: true,
    point: 'before',
    approverRoles: ['qa_lead'],
    approvalsNeeded: 2,
    expiresAfterMinutes: 60,
    allowSelfApproval: false,
  };
  const looser = { allowSelfApproval: true, approvalsNeeded: 1, expiresAfterMinutes: 30 };

  test("fields looser than the admin's gate count only when an admin set them; tighter ones always", () => {
    const byManager = resolveGate({ '3_build': strict }, { '3_build': looser }, undefined, '3_build', []);
    expect(byManager.gate).toMatchObject({
      allowSelfApproval: false,
      approvalsNeeded: 2,
      expiresAfterMinutes: 30,
    });
    expect(byManager.layers.at(-1)?.why).toContain('allowSelfApproval, approvalsNeeded ignored');

    const adminSet = ['3_build.allowSelfApproval', '3_build.approvalsNeeded'];
    const byAdmin = resolveGate({ '3_build': strict }, { '3_build': looser }, undefined, '3_build', adminSet);
    expect(byAdmin.gate).toMatchObject(looser);
  });

  test('without a gate from the admin, any override asks more and counts', () => {
    const resolved = resolveGate({}, { '3_build': { required: true, ...looser } }, undefined, '3_build', []);
    expect(resolved.gate).toMatchObject({ required: true, ...looser });
  });
});
