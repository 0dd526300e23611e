import type { BlueprintCheck, BlueprintTask, Stage } from '@delivery/contracts';
import { BLUEPRINT_KEY_MAX } from '@delivery/contracts';
import type { GeneratorInput } from './generator.js';
import { artifactChecklist, fieldChecklist } from './rules-checklists.js';

export interface StageDraft {
  tasks: BlueprintTask[];
  checks: BlueprintCheck[];
}

const task = (key: string, title: string, checklist: string[], description?: string): BlueprintTask => ({
  key,
  title,
  ...(description !== undefined && { description }),
  checklist,
});
const check = (key: string, title: string, description?: string): BlueprintCheck => ({
  key,
  title,
  ...(description !== undefined && { description }),
});

/**
 * `upload-<name as slug>`, made unique with a counter: artifact names are free text, and two
 * (`App.zip`, `app-zip`) can turn into the same slug.
 */
function uploadKeys(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name, index) => {
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, BLUEPRINT_KEY_MAX - 20);
    const base = /^[a-z]/.test(slug) ? `upload-${slug}` : `upload-artifact-${slug || index + 1}`;
    let key = base;
    for (let n = 2; used.has(key); n += 1) key = `${base}-${n}`;
    used.add(key);
    return key;
  });
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function onboarding({ content }: GeneratorInput): StageDraft {
  const required = content.fields.filter((f) => f.required).length;
  return {
    tasks: content.fields.map((f) =>
      task(`provide-${f.key}`, `Provide ${f.label}${f.required ? '' : ' (optional)'}`, fieldChecklist(f)),
    ),
    checks: [
      check(
        'required-inputs-answered',
        'All required onboarding fields are answered',
        `${required} of ${count(content.fields.length, 'field')} required`,
      ),
    ],
  };
}

function build({ content }: GeneratorInput): StageDraft {
  const { artifacts } = content;
  if (artifacts.length === 0) {
    return {
      tasks: [task('confirm-build', 'Confirm the build is done', ['This template requires no uploads'])],
      checks: [],
    };
  }
  const keys = uploadKeys(artifacts.map((a) => a.name));
  const required = artifacts.filter((a) => a.required).length;
  return {
    tasks: artifacts.map((a, i) =>
      task(
        keys[i] as string,
        `Upload ${a.name}${a.required ? '' : ' (optional)'}`,
        artifactChecklist(a),
        a.description,
      ),
    ),
    checks: [
      ...(required > 0
        ? [check('required-artifacts-uploaded', `All required artifacts are uploaded (${required})`)]
        : []),
      check('artifacts-verified', 'Every upload matches its content type, size limit and checksum'),
    ],
  };
}

/** What each stage needs when the template says nothing about it; mirrors the stage contracts. */
const DEFAULTS: Record<Stage, (input: GeneratorInput) => StageDraft> = {
  '0_sales': ({ name, templateVersion }) => ({
    tasks: [
      task('confirm-scope', 'Confirm the scope with the client', [
        `The client agrees to the "${name}" template, version ${templateVersion}`,
        'Budget and timeline are agreed',
      ]),
    ],
    checks: [check('template-confirmed', `The project uses "${name}" version ${templateVersion}`)],
  }),
  '1_onboarding': onboarding,
  '2_assignment': () => ({
    tasks: [
      task('assign-owner', 'Assign the project to an owner', [
        'An assignee is set',
        'The assignee has read the onboarding answers',
      ]),
    ],
    checks: [check('assignee-set', 'An assignee is set')],
  }),
  '3_build': build,
  '4_test': () => ({
    tasks: [
      task('upload-junit-reports', 'Upload JUnit reports', [
        'One JUnit XML report per test suite',
        'The reports test the build uploaded in the build stage',
      ]),
    ],
    checks: [
      check('test-reports-ingested', 'The test reports are ingested into a test-run summary'),
      check('defects-opened', 'A defect is opened for every failed test case'),
    ],
  }),
  '5_defect_validation': () => ({
    tasks: [
      task('triage-defects', 'Confirm or reject each defect', [
        'Duplicate defects are merged',
        'Every defect is confirmed or rejected',
      ]),
    ],
    checks: [check('no-unconfirmed-defects', 'No defect is left unconfirmed')],
  }),
  '6_complete': () => ({
    tasks: [
      task('hand-over', 'Hand the delivery over to the client', [
        'The deliverables are shared with the client',
        'The client sign-off is recorded',
      ]),
    ],
    checks: [check('all-stages-succeeded', 'Every earlier stage succeeded')],
  }),
};

export const defaultStage = (stage: Stage, input: GeneratorInput): StageDraft => DEFAULTS[stage](input);
