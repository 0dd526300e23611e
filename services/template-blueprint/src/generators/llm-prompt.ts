import { BLUEPRINT_KEY_MAX, STAGES, TEMPLATE_LIMITS } from '@delivery/contracts';
import type { GeneratorInput } from './generator.js';

/** The body of an OpenAI-compatible `POST /chat/completions`. */
export interface ChatRequest {
  model: string;
  messages: { role: 'system' | 'user'; content: string }[];
  response_format: { type: 'json_object' };
  temperature: number;
}

const SYSTEM = [
  'You plan software delivery projects.',
  'Given a project template, you write the blueprint of work for each pipeline stage.',
  'Answer with one JSON object and nothing else: no prose, no markdown.',
].join(' ');

// The shape in words rather than a JSON Schema: shorter, and models follow it as well.
// Required inputs and artifacts are not asked for: the generator copies them from the template.
const SHAPE = `Answer with a JSON object of this shape:
{"stages": [{"stage": "<stage>", "order": <0-6>, "tasks": [{"key": "<key>", "title": "<text>", "description": "<optional text>", "checklist": ["<text>", ...]}, ...], "checks": [{"key": "<key>", "title": "<text>", "description": "<optional text>"}, ...]}, ...]}
Rules:
- "stages" lists exactly these ${STAGES.length} stages once each, in this order, with "order" as shown: ${STAGES.map((s, i) => `${s} (${i})`).join(', ')}.
- A key is lowercase letters, digits, "-" or "_", starts with a letter, at most ${BLUEPRINT_KEY_MAX} characters, and is unique among the tasks (or the checks) of its stage.
- At most ${TEMPLATE_LIMITS.blueprintTasks} tasks and ${TEMPLATE_LIMITS.blueprintChecks} checks per stage, ${TEMPLATE_LIMITS.checklistItems} checklist items per task; titles at most ${TEMPLATE_LIMITS.title} characters, descriptions ${TEMPLATE_LIMITS.description}, checklist items ${TEMPLATE_LIMITS.checklistItem}.
- 1_onboarding: one task per template field ("Provide <label>"), its checklist saying what a valid answer looks like.
- 3_build: one task per template artifact ("Upload <name>"), its checklist giving the upload name, allowed content types and size limit.
- 4_test: a task to upload JUnit XML test reports.
- Include every task and check the template lists under a stage, with its key unchanged.
- Do not include the required inputs or artifacts themselves; they are taken from the template.`;

export function buildChatRequest(model: string, input: GeneratorInput): ChatRequest {
  const template = {
    name: input.name,
    description: input.description,
    version: input.templateVersion,
    content: input.content,
  };
  return {
    model,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: `Template:\n${JSON.stringify(template)}\n\n${SHAPE}` },
    ],
    response_format: { type: 'json_object' },
    // The same template should give the same blueprint as far as the model allows.
    temperature: 0,
  };
}
