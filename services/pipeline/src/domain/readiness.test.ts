import { alice, facts, freshProject, storedFile } from './decide-fixtures.js';
import type { ProjectState } from './project-state.js';
import { readiness } from './readiness.js';

const known = (overrides: Partial<ProjectState>) => freshProject({ ...facts(), ...overrides });

describe('readiness', () => {
  test('0_sales waits for the sale to be confirmed', () => {
    expect(readiness(freshProject(), '0_sales')).toEqual([
      {
        code: 'sale_not_confirmed',
        message: 'Confirm the sale to start the project',
        whoCanAct: ['sales', 'delivery_manager'],
        action: 'confirm_sale',
      },
    ]);
    expect(readiness(known({}), '0_sales')).toEqual([]);
  });

  test('1_onboarding waits for the blueprint first: without it nobody knows the questions', () => {
    expect(readiness(known({ requirements: null }), '1_onboarding')).toEqual([
      {
        code: 'blueprint_missing',
        message: "The template's blueprint is not generated yet; the project goes on by itself once it is",
        whoCanAct: ['admin', 'system'],
        action: 'generate_blueprint',
      },
    ]);
  });

  test('1_onboarding names the required questions not answered', () => {
    expect(readiness(freshProject(), '1_onboarding')).toEqual([
      {
        code: 'onboarding_incomplete',
        message: 'Answer the required onboarding questions: "Company name" (company)',
        whoCanAct: ['delivery_manager'],
        action: 'save_onboarding',
      },
    ]);
  });

  test('1_onboarding names the invalid answers and what is wrong with them', () => {
    const onboarding = { answers: { company: 'A', launch: 'soon' }, updatedBy: alice, updatedAt: null };
    expect(readiness(known({ onboarding }), '1_onboarding')).toEqual([
      {
        code: 'onboarding_incomplete',
        message:
          'Correct the onboarding answers that are not valid: "Company name" (company) must be at least 2 characters; ' +
          '"Launch date" (launch) must be a date (yyyy-mm-dd) or an ISO date-time with a time zone',
        whoCanAct: ['delivery_manager'],
        action: 'save_onboarding',
      },
    ]);
  });

  test('1_onboarding names both the missing and the invalid ones, and answers no field has', () => {
    const onboarding = { answers: { launch: 'soon', colour: 'red' }, updatedBy: alice, updatedAt: null };
    const [reason] = readiness(known({ onboarding }), '1_onboarding');
    expect(reason?.message).toBe(
      'Answer the required onboarding questions: "Company name" (company). ' +
        'Correct the onboarding answers that are not valid: "Launch date" (launch) must be a date (yyyy-mm-dd) ' +
        'or an ISO date-time with a time zone; colour is not a question of this onboarding',
    );
  });

  test('1_onboarding is ready when the required answers are complete and valid', () => {
    expect(readiness(known({}), '1_onboarding')).toEqual([]);
  });

  test('2_assignment waits for an assignee', () => {
    expect(readiness(known({ assignees: [] }), '2_assignment')).toEqual([
      {
        code: 'no_assignee',
        message: 'Assign someone to deliver the project',
        whoCanAct: ['delivery_manager'],
        action: 'assign',
      },
    ]);
    expect(readiness(known({}), '2_assignment')).toEqual([]);
  });

  test('3_build gives one reason per required artifact not uploaded, never for optional ones', () => {
    const requirements = {
      fields: [],
      artifacts: [
        { name: 'site.zip', contentType: 'application/zip', maxSizeBytes: 10, required: true },
        { name: 'docs.pdf', contentType: 'application/pdf', maxSizeBytes: 10, required: true },
        { name: 'notes.md', contentType: 'text/markdown', maxSizeBytes: 10, required: false },
      ],
      blueprintRunId: null,
    };
    const missing = (name: string) => ({
      code: 'artifact_missing',
      message: `Upload the required artifact "${name}"`,
      whoCanAct: ['assignee'],
      action: 'upload_artifact',
    });
    expect(readiness(known({ requirements, files: [] }), '3_build')).toEqual([
      missing('site.zip'),
      missing('docs.pdf'),
    ]);
    // A test report that happens to carry the name is not the artifact.
    const files = [storedFile('artifact', 'docs.pdf'), storedFile('test_report', 'site.zip')];
    expect(readiness(known({ requirements, files }), '3_build')).toEqual([missing('site.zip')]);
    files.push(storedFile('artifact', 'site.zip'));
    expect(readiness(known({ requirements, files }), '3_build')).toEqual([]);
  });

  test('3_build without a blueprint cannot know what to check', () => {
    expect(readiness(known({ requirements: null }), '3_build').map((reason) => reason.code)).toEqual([
      'blueprint_missing',
    ]);
  });

  test('4_test waits for a test report; an artifact is not one', () => {
    expect(readiness(known({}), '4_test')).toEqual([
      {
        code: 'test_report_missing',
        message: 'Upload a test report (JUnit XML)',
        whoCanAct: ['assignee'],
        action: 'upload_test_report',
      },
    ]);
    const files = [storedFile('test_report', 'junit.xml')];
    expect(readiness(known({ files }), '4_test')).toEqual([]);
  });

  test("5_defect_validation waits for the test stage's results", () => {
    expect(readiness(known({}), '5_defect_validation')).toEqual([
      {
        code: 'test_results_missing',
        message: "Waiting for the test stage's results",
        whoCanAct: ['system'],
        action: 'wait',
      },
    ]);
    expect(readiness(known({ outputs: { '4_test': { defects: [] } } }), '5_defect_validation')).toEqual([]);
  });

  test('6_complete is always ready', () => {
    expect(readiness(freshProject({ requirements: null }), '6_complete')).toEqual([]);
  });
});
