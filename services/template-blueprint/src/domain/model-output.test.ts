import { STAGES } from '@delivery/contracts';
import { type BlueprintFacts, blueprintFromModelOutput, stripCodeFences } from './model-output.js';

const facts: BlueprintFacts = {
  templateId: 'tpl-1',
  templateVersion: 2,
  generator: 'llm',
  requiredInputs: [{ key: 'company', label: 'Company', type: 'text', required: true }],
  requiredArtifacts: [{ name: 'app.zip', contentType: 'application/zip', maxSizeBytes: 100, required: true }],
};

const stages = STAGES.map((stage, order) => ({
  stage,
  order,
  tasks: [{ key: 'do-it', title: `Work on ${stage}`, checklist: ['done'] }],
  checks: [],
}));

describe('stripCodeFences', () => {
  it('unwraps fenced JSON with or without a language tag and leaves bare text alone', () => {
    expect(stripCodeFences('```json\n{"a":1}\n```')).toBe('{"a":1}');
    expect(stripCodeFences('  ```\n{"a":1}```\n')).toBe('{"a":1}');
    expect(stripCodeFences(' {"a":1} ')).toBe('{"a":1}');
  });
});

describe('blueprintFromModelOutput', () => {
  it('completes the model output with the facts, which win over what the model said', () => {
    const text = JSON.stringify({ templateId: 'made-up', generator: 'rules', requiredInputs: [], stages });
    const result = blueprintFromModelOutput(`\`\`\`json\n${text}\n\`\`\``, facts);
    expect(result).toEqual({ ok: true, blueprint: { ...facts, stages } });
  });

  it('tells unparsable text from JSON that is not an object', () => {
    expect(blueprintFromModelOutput('Sure! Here is your blueprint', facts)).toMatchObject({
      ok: false,
      reason: 'not_json',
      issues: [{ path: [], message: expect.stringMatching(/^not valid JSON/) }],
    });
    expect(blueprintFromModelOutput('[1, 2]', facts)).toMatchObject({ ok: false, reason: 'not_object' });
  });

  it('returns schema issues with their paths', () => {
    const broken = stages.map((s) => (s.stage === '3_build' ? { ...s, order: 4 } : s));
    broken[1] = {
      ...stages[1],
      tasks: [{ key: 'Bad Key', title: 'x', checklist: [] }],
    } as (typeof stages)[1];
    const result = blueprintFromModelOutput(JSON.stringify({ stages: broken }), facts);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('schema');
    expect(result.issues.map((i) => i.path.join('.'))).toEqual(['stages.1.tasks.0.key', 'stages.3.order']);
  });

  it('requires every stage once, in pipeline order', () => {
    const swapped = [stages[1], stages[0], ...stages.slice(2)];
    const result = blueprintFromModelOutput(JSON.stringify({ stages: swapped }), facts);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path.join('.'))).toContain('stages.0.stage');
    const short = blueprintFromModelOutput(JSON.stringify({ stages: stages.slice(1) }), facts);
    expect(short).toMatchObject({
      ok: false,
      issues: [{ path: ['stages'], message: 'missing stages: 0_sales' }],
    });
    const twice = blueprintFromModelOutput(
      JSON.stringify({ stages: [...stages.slice(0, 6), stages[0]] }),
      facts,
    );
    expect(twice.ok || twice.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'stages: missing stages: 6_complete',
      'stages.6.stage: duplicate stage 0_sales',
    ]);
  });
});
