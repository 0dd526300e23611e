import { alice, at, freshProject, projectAt, storedFile } from './decide-fixtures.js';
import type { ProjectState } from './project-state.js';
import { stagesAhead } from './stages-ahead.js';

const codes = (project: ProjectState) =>
  stagesAhead(project).map(({ stage, status, needs }) => [stage, status, needs.map((need) => need.code)]);

describe('what every stage ahead will need', () => {
  test('a new project at sales: onboarding answers, an assignee, site.zip and a test report', () => {
    expect(codes(freshProject())).toEqual([
      ['1_onboarding', 'pending', ['onboarding_incomplete']],
      ['2_assignment', 'pending', ['no_assignee']],
      ['3_build', 'pending', ['artifact_missing']],
      ['4_test', 'pending', ['test_report_missing']],
      ['5_defect_validation', 'ready', []],
    ]);
    const build = stagesAhead(freshProject()).find((ahead) => ahead.stage === '3_build');
    expect(build?.needs[0]).toMatchObject({
      message: 'Upload the required artifact "site.zip"',
      whoCanAct: ['assignee'],
      action: 'upload_artifact',
    });
  });

  test('what is in already makes the stage ready: it waits only for the stages before it', () => {
    const project = freshProject({
      onboarding: { answers: { company: 'Acme' }, updatedBy: alice, updatedAt: at(1) },
      files: [storedFile('artifact', 'site.zip'), storedFile('test_report', 'junit.xml')],
    });
    expect(codes(project)).toEqual([
      ['1_onboarding', 'ready', []],
      ['2_assignment', 'pending', ['no_assignee']],
      ['3_build', 'ready', []],
      ['4_test', 'ready', []],
      ['5_defect_validation', 'ready', []],
    ]);
  });

  test('only stages after the current one; none for a project that is done or archived', () => {
    expect(codes(projectAt('4_test'))).toEqual([['5_defect_validation', 'ready', []]]);
    expect(stagesAhead({ ...freshProject(), status: 'archived' })).toEqual([]);
    expect(stagesAhead({ ...projectAt('6_complete'), status: 'completed' })).toEqual([]);
  });
});
