import { alice, at, bob, projectAt } from './decide-fixtures.js';
import {
  assignmentChange,
  defectDecisionsAudit,
  onboardingChange,
  onboardingTrigger,
  uploadChange,
} from './named-triggers.js';
import type { ProjectState } from './project-state.js';

const withAnswers = (answers: Record<string, unknown>): ProjectState => ({
  ...projectAt('1_onboarding'),
  onboarding: { answers, updatedBy: alice, updatedAt: at(1) },
});

describe("the old system's trigger names", () => {
  test.each([
    ['required answers missing: a draft', {}, 'onboarding_updated'],
    ['every required answer given: submitted', { company: 'Acme' }, 'onboarding_saved'],
  ])('onboarding: %s', (_name, answers, trigger) => {
    expect(onboardingTrigger(withAnswers(answers))).toBe(trigger);
  });

  test('onboarding before the blueprint is known can only be a draft', () => {
    expect(onboardingTrigger({ ...withAnswers({ company: 'Acme' }), requirements: null })).toBe(
      'onboarding_updated',
    );
  });

  const person = (id: string, name: string) => ({ id, name, assignedBy: alice, assignedAt: at(0) });
  const assigned = (...people: ReturnType<typeof person>[]): ProjectState => ({
    ...projectAt('2_assignment'),
    assignees: people,
  });
  const [carol, dave] = [person('u-carol', 'Carol'), person('u-dave', 'Dave')];

  test.each([
    ['a first assignment', assigned(), assigned(carol), 'assignment_updated', undefined],
    [
      'someone added beside who was assigned',
      assigned(carol),
      assigned(carol, dave),
      'assignment_updated',
      undefined,
    ],
    [
      'someone assigned replaced: an audited override',
      assigned(carol),
      assigned(dave),
      'assignment_override',
      { field: 'assignees', before: 'Carol', after: 'Dave' },
    ],
    [
      'everyone taken off',
      assigned(carol, dave),
      assigned(),
      'assignment_override',
      { field: 'assignees', before: 'Carol, Dave', after: null },
    ],
  ])('assignment: %s', (_name, before, after, type, audit) => {
    expect(assignmentChange(before, after, bob)).toEqual({
      trigger: { type, actor: bob },
      ...(audit ? { audit } : {}),
    });
  });
});

describe('what the timeline records beside the trigger', () => {
  test('an onboarding save records how much of what is required was answered, before and after', () => {
    expect(onboardingChange(withAnswers({}), withAnswers({ company: 'Acme' }), bob)).toEqual({
      trigger: { type: 'onboarding_saved', actor: bob },
      audit: {
        field: 'onboarding_answers',
        before: '0 of 1 required answered',
        after: '1 of 1 required answered',
      },
    });
  });

  test.each([
    ['artifact', 'artifact_upload'],
    ['test_report', 'test_report_upload'],
  ] as const)('a %s upload is %s, recording the file by name', (kind, type) => {
    expect(uploadChange({ kind, name: 'x.bin' }, bob)).toEqual({
      trigger: { type, actor: bob },
      audit: { field: kind, before: null, after: 'x.bin' },
    });
  });
});

test('saving the same answers again records nothing beside the trigger', () => {
  const same = withAnswers({ company: 'Acme' });
  expect(onboardingChange(same, same, bob)).toEqual({ trigger: { type: 'onboarding_saved', actor: bob } });
});

test('defect decisions are recorded as how many were confirmed and rejected', () => {
  expect(defectDecisionsAudit({ f1: 'confirmed', f2: 'rejected', f3: 'confirmed' })).toEqual({
    field: 'defect_decisions',
    before: null,
    after: '2 confirmed, 1 rejected',
  });
});
