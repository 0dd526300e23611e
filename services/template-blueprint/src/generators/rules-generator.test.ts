import { blueprintSchema, STAGES, templateContentSchema } from '@delivery/contracts';
import { webShopInput } from './fixtures/template.js';
import { GenerationError, type GeneratorInput } from './generator.js';
import { createRulesGenerator } from './rules-generator.js';

const generator = createRulesGenerator();
const signal = new AbortController().signal;
const generate = (input: GeneratorInput = webShopInput()) => generator.generate(input, signal);

/** The same data with every object's keys in reverse order, as another store or driver might give it. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('rules generator', () => {
  it('lists every stage in pipeline order, filled in from the template', async () => {
    const { blueprint, rawOutput } = await generate();
    expect(blueprint).toMatchObject({ templateId: 'tpl-web-shop', templateVersion: 3, generator: 'rules' });
    expect(blueprint.stages.map((s) => [s.stage, s.order])).toEqual(STAGES.map((s, i) => [s, i]));
    expect(rawOutput).toBe(JSON.stringify(blueprint));
    expect(blueprintSchema.parse(JSON.parse(rawOutput))).toEqual(blueprint);
  });

  it('asks for each onboarding field, with what a valid answer looks like', async () => {
    const { blueprint } = await generate();
    const onboarding = blueprint.stages[1];
    expect(onboarding?.tasks).toEqual([
      {
        key: 'provide-company_name',
        title: 'Provide Company name',
        checklist: ['Free text', 'Between 2 and 100 characters'],
      },
      { key: 'provide-contact_email', title: 'Provide Contact email', checklist: ['A valid email address'] },
      { key: 'provide-plan', title: 'Provide Plan', checklist: ['One of: starter, growth, enterprise'] },
      { key: 'provide-launch_date', title: 'Provide Launch date', checklist: ['A date (YYYY-MM-DD)'] },
      {
        key: 'provide-budget',
        title: 'Provide Budget (EUR) (optional)',
        checklist: ['A number', 'At least 1000'],
      },
      {
        key: 'provide-website',
        title: 'Provide Current website (optional)',
        checklist: ['A valid URL', 'Matches the pattern /^https:///'],
      },
    ]);
    expect(onboarding?.checks).toEqual([
      {
        key: 'required-inputs-answered',
        title: 'All required onboarding fields are answered',
        description: '4 of 6 fields required',
      },
    ]);
  });

  it('asks for each artifact with its constraints and merges the template tasks and checks', async () => {
    const { blueprint } = await generate();
    const build = blueprint.stages[3];
    expect(build?.tasks).toEqual([
      {
        key: 'upload-app-zip',
        title: 'Upload app.zip',
        checklist: [
          'Uploaded under the name "app.zip"',
          'Content type one of application/zip, application/x-zip-compressed',
          'At most 50 MiB (52428800 bytes)',
        ],
      },
      {
        key: 'upload-sbom-json',
        title: 'Upload sbom.json',
        checklist: [
          'Uploaded under the name "sbom.json"',
          'Content type application/*+json',
          'At most 5 MiB (5242880 bytes)',
        ],
      },
      {
        key: 'upload-release-notes-md',
        title: 'Upload Release notes.md (optional)',
        description: 'What changed since the last delivery, for the client.',
        checklist: [
          'Uploaded under the name "Release notes.md"',
          'Content type text/*',
          'At most 195.3 KiB (200000 bytes)',
        ],
      },
      {
        key: 'security-scan',
        title: 'Run the security scan',
        description: 'Use the team scanner.',
        checklist: [],
      },
    ]);
    // The template's check with a default's key rewords it in place.
    expect(build?.checks).toEqual([
      { key: 'required-artifacts-uploaded', title: 'All required artifacts are uploaded (2)' },
      { key: 'artifacts-verified', title: 'QA verified the artifacts' },
    ]);
    expect(blueprint.stages[0]?.checks.map((c) => c.key)).toEqual(['template-confirmed', 'nda-signed']);
  });

  it('gives the stages the template does not mention sensible defaults', async () => {
    const { blueprint } = await generate();
    const tasks = Object.fromEntries(blueprint.stages.map((s) => [s.stage, s.tasks.map((t) => t.title)]));
    expect(tasks).toMatchObject({
      '0_sales': ['Confirm the scope with the client'],
      '2_assignment': ['Assign the project to an owner'],
      '4_test': ['Upload JUnit reports'],
      '5_defect_validation': ['Confirm or reject each defect'],
      '6_complete': ['Hand the delivery over to the client'],
    });
    expect(blueprint.stages[0]?.tasks[0]?.checklist[0]).toBe(
      'The client agrees to the "Web shop launch" template, version 3',
    );
  });

  it('passes fields and artifacts through as required inputs and artifacts', async () => {
    const { blueprint } = await generate();
    expect(blueprint.requiredInputs.map((i) => [i.key, i.required])).toEqual([
      ['company_name', true],
      ['contact_email', true],
      ['plan', true],
      ['launch_date', true],
      ['budget', false],
      ['website', false],
    ]);
    expect(blueprint.requiredInputs[2]).toEqual({
      key: 'plan',
      label: 'Plan',
      type: 'select',
      required: true,
      validation: { options: ['starter', 'growth', 'enterprise'] },
    });
    // Exactly the job-runner build payload's requiredArtifacts: no description, required explicit.
    expect(blueprint.requiredArtifacts).toEqual([
      {
        name: 'app.zip',
        contentType: ['application/zip', 'application/x-zip-compressed'],
        maxSizeBytes: 52428800,
        required: true,
      },
      { name: 'sbom.json', contentType: 'application/*+json', maxSizeBytes: 5242880, required: true },
      { name: 'Release notes.md', contentType: 'text/*', maxSizeBytes: 200000, required: false },
    ]);
  });

  it('is deterministic: same template, byte-identical output, whatever the key order', async () => {
    const first = await generate();
    const again = await generate();
    const reordered = await generate({
      ...webShopInput(),
      content: reverseKeys(webShopInput().content) as GeneratorInput['content'],
    });
    expect(again.rawOutput).toBe(first.rawOutput);
    expect(reordered.rawOutput).toBe(first.rawOutput);
  });

  it('still yields all seven stages for an empty template', async () => {
    const { blueprint } = await generate({ ...webShopInput(), content: templateContentSchema.parse({}) });
    expect(blueprint.stages).toHaveLength(7);
    expect(blueprint.stages[1]?.tasks).toEqual([]);
    expect(blueprint.stages[3]?.tasks.map((t) => t.key)).toEqual(['confirm-build']);
    expect(blueprint.stages[3]?.checks).toEqual([]);
    expect(blueprint.requiredInputs).toEqual([]);
    expect(blueprint.requiredArtifacts).toEqual([]);
  });

  it('keeps upload task keys unique when artifact names slug alike', async () => {
    const artifact = (name: string) => ({ name, contentType: '*', maxSizeBytes: 1 });
    const content = templateContentSchema.parse({
      artifacts: [artifact('App.zip'), artifact('app-zip'), artifact('42.tar'), artifact('***')],
    });
    const { blueprint } = await generate({ ...webShopInput(), content });
    expect(blueprint.stages[3]?.tasks.map((t) => t.key)).toEqual([
      'upload-app-zip',
      'upload-app-zip-2',
      'upload-artifact-42-tar',
      'upload-artifact-4',
    ]);
  });

  it('fails with template_invalid, not retryable, when the stored content is invalid', async () => {
    const content = {
      ...webShopInput().content,
      fields: [{ key: 'x', label: 'X', type: 'select', required: true }],
    };
    const run = generate({ ...webShopInput(), content: content as GeneratorInput['content'] });
    await expect(run).rejects.toBeInstanceOf(GenerationError);
    await expect(run).rejects.toMatchObject({
      code: 'template_invalid',
      retryable: false,
      message: expect.stringContaining('fields.0.validation.options'),
    });
  });

  it('does nothing once the run is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(generator.generate(webShopInput(), controller.signal)).rejects.toThrow(/abort/i);
  });
});
