import type { Actor, ResponsiblePerson, Stage } from '@delivery/contracts';
import { freshProject, T0 } from './decide-fixtures.js';
import type { ProjectState, StoredFile } from './project-state.js';
import { responsiblePeople } from './responsible-people.js';

const person = (id: string, name: string): Actor => ({ kind: 'user', id, name });
const seller = person('u-sam', 'Sam Seller');
const onboarder = person('u-oona', 'Oona');
const manager = person('u-dana', 'Dana Manager');
const builder = person('u-bea', 'Bea Builder');
const tester = person('u-tess', 'Tess Tester');
const pipeline: Actor = { kind: 'service', id: 'pipeline', name: 'pipeline' };
const gateway: Actor = { kind: 'service', id: 'gateway', name: 'gateway' };

const file = (kind: StoredFile['kind'], name: string, uploadedBy: Actor): StoredFile => ({
  id: `file-${name}`,
  kind,
  name,
  contentType: kind === 'test_report' ? 'application/xml' : 'application/zip',
  size: 10,
  sha256: 'a'.repeat(64),
  uploadedBy,
  uploadedAt: T0,
});

/** A project with every fact, each done by someone else, so that each rule shows who it picks. */
const project: ProjectState = freshProject({
  sale: { confirmedBy: seller, confirmedAt: T0, note: null },
  onboarding: { answers: { company: 'Acme' }, updatedBy: onboarder, updatedAt: T0 },
  assignees: [
    { id: 'dev-1', name: 'Devi', assignedBy: manager, assignedAt: T0 },
    { id: 'dev-2', name: 'Dario', assignedBy: manager, assignedAt: T0 },
  ],
  files: [
    file('artifact', 'site.zip', builder),
    file('artifact', 'notes.md', builder),
    file('test_report', 'TEST-1.xml', tester),
    // A re-upload by another person: every file of the kind feeds the stage's job, so both count.
    file('artifact', 'site.zip', person('dev-1', 'Devi')),
  ],
});

const entry = (actor: { id: string; name: string }, ...reasons: ResponsiblePerson['reasons']) => ({
  id: actor.id,
  name: actor.name,
  reasons,
});
const devi = { id: 'dev-1', name: 'Devi' };
const dario = { id: 'dev-2', name: 'Dario' };

// Asked by the pipeline on its own (an `after` review, a stage reached by moving on): the rule
// alone names the people, the requester adds nobody.
const RULES: [Stage, ReturnType<typeof entry>[]][] = [
  ['0_sales', [entry(seller, 'confirmed_sale')]],
  ['1_onboarding', [entry(onboarder, 'saved_onboarding')]],
  ['2_assignment', [entry(manager, 'assigned'), entry(devi, 'assignee'), entry(dario, 'assignee')]],
  [
    '3_build',
    [
      entry(builder, 'uploaded_artifact'),
      entry(devi, 'uploaded_artifact', 'assignee'),
      entry(dario, 'assignee'),
    ],
  ],
  ['4_test', [entry(tester, 'uploaded_test_report'), entry(devi, 'assignee'), entry(dario, 'assignee')]],
  [
    '5_defect_validation',
    [entry(tester, 'uploaded_test_report'), entry(devi, 'assignee'), entry(dario, 'assignee')],
  ],
  ['6_complete', []],
];

describe('responsiblePeople', () => {
  test.each(RULES)('%s, asked by the pipeline itself', (stage, expected) => {
    expect(responsiblePeople(project, stage, pipeline)).toEqual(expected);
  });

  test.each(RULES)('%s, asked by a person: they are responsible too, first', (stage, expected) => {
    const asker = person('u-ray', 'Ray');
    expect(responsiblePeople(project, stage, asker)).toEqual([entry(asker, 'requested'), ...expected]);
  });

  test('a person who asked and did the work is listed once, with every reason', () => {
    expect(responsiblePeople(project, '3_build', builder)[0]).toEqual(
      entry(builder, 'requested', 'uploaded_artifact'),
    );
  });

  test('services are never responsible people: not as requester, seller, onboarder, assigner or uploader', () => {
    const byServices = freshProject({
      sale: { confirmedBy: gateway, confirmedAt: T0, note: null },
      onboarding: { answers: {}, updatedBy: gateway, updatedAt: T0 },
      assignees: [{ id: 'dev-1', name: 'Devi', assignedBy: pipeline, assignedAt: T0 }],
      files: [file('artifact', 'site.zip', gateway), file('test_report', 'TEST-1.xml', gateway)],
    });
    expect(responsiblePeople(byServices, '0_sales', pipeline)).toEqual([]);
    expect(responsiblePeople(byServices, '1_onboarding', gateway)).toEqual([]);
    // Auto-assignment: the pipeline chose, so only the assignee is responsible.
    expect(responsiblePeople(byServices, '2_assignment', pipeline)).toEqual([entry(devi, 'assignee')]);
    expect(responsiblePeople(byServices, '3_build', pipeline)).toEqual([entry(devi, 'assignee')]);
  });

  test('facts nobody provided yet name nobody', () => {
    const fresh = freshProject();
    for (const stage of RULES.map(([stage]) => stage)) {
      expect(responsiblePeople(fresh, stage, pipeline)).toEqual([]);
    }
  });

  test('a person is matched by id: another name for the same id is the same person', () => {
    const renamed = freshProject({
      assignees: [{ id: 'u-bea', name: 'Bea', assignedBy: manager, assignedAt: T0 }],
      files: [file('artifact', 'site.zip', builder)],
    });
    expect(responsiblePeople(renamed, '3_build', pipeline)).toEqual([
      entry(builder, 'uploaded_artifact', 'assignee'),
    ]);
  });
});
