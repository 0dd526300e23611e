import {
  type BlueprintCheck,
  type BlueprintTask,
  blueprintSchema,
  STAGES,
  type StageItem,
  templateContentSchema,
} from '@delivery/contracts';
import { describeIssues, toIssues } from '../domain/issues.js';
import { requiredArtifactsFrom, requiredInputsFrom } from '../domain/requirements.js';
import { GenerationError, type Generator, type GeneratorInput } from './generator.js';
import { defaultStage } from './rules-defaults.js';

/**
 * A template item with the key of a default replaces it where it stands (so a template can
 * reword a default); the others follow the defaults in template order.
 */
function merge<T extends { key: string }>(defaults: T[], own: StageItem[], toItem: (i: StageItem) => T): T[] {
  const byKey = new Map(own.map((item) => [item.key, item]));
  const merged = defaults.map((d) => {
    const replacement = byKey.get(d.key);
    return replacement ? toItem(replacement) : d;
  });
  const defaultKeys = new Set(defaults.map((d) => d.key));
  return [...merged, ...own.filter((item) => !defaultKeys.has(item.key)).map(toItem)];
}

const asTask = (i: StageItem): BlueprintTask => ({
  key: i.key,
  title: i.title,
  ...(i.description !== undefined && { description: i.description }),
  checklist: [],
});
const asCheck = (i: StageItem): BlueprintCheck => ({
  key: i.key,
  title: i.title,
  ...(i.description !== undefined && { description: i.description }),
});

/**
 * The built-in generator: derives the blueprint from the template's structure alone. It is a
 * pure function of its input (stable order, no clock, no randomness), so generating the same
 * template version twice gives byte-identical output and reruns are harmless.
 */
export function createRulesGenerator(): Generator {
  return {
    name: 'rules',
    async generate(input: GeneratorInput, signal: AbortSignal) {
      signal.throwIfAborted();
      // Stored templates were validated when written, but an older version may predate a rule.
      const content = templateContentSchema.safeParse(input.content);
      if (!content.success) {
        throw new GenerationError(
          'template_invalid',
          `template content is invalid: ${describeIssues(toIssues(content.error))}`,
          false,
        );
      }
      const valid = { ...input, content: content.data };
      const draft = {
        templateId: input.templateId,
        templateVersion: input.templateVersion,
        generator: 'rules',
        stages: STAGES.map((stage, order) => {
          const defaults = defaultStage(stage, valid);
          const own = valid.content.stages[stage];
          return {
            stage,
            order,
            tasks: merge(defaults.tasks, own?.tasks ?? [], asTask),
            checks: merge(defaults.checks, own?.checks ?? [], asCheck),
          };
        }),
        requiredInputs: requiredInputsFrom(valid.content),
        requiredArtifacts: requiredArtifactsFrom(valid.content),
      };
      // Parsing also fixes the key order of every object, which keeps the JSON text stable.
      const parsed = blueprintSchema.safeParse(draft);
      if (!parsed.success) {
        throw new GenerationError(
          'template_invalid',
          `the template yields an invalid blueprint: ${describeIssues(toIssues(parsed.error))}`,
          false,
        );
      }
      return { blueprint: parsed.data, rawOutput: JSON.stringify(parsed.data) };
    },
  };
}
