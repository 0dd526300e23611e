import { type Blueprint, blueprintSchema } from '@delivery/contracts';
import { toIssues, type ValidationIssue } from './issues.js';

/** What the generator knows better than the model; these replace whatever the model said. */
export type BlueprintFacts = Pick<
  Blueprint,
  'templateId' | 'templateVersion' | 'generator' | 'requiredInputs' | 'requiredArtifacts'
>;

export type ModelOutputResult =
  | { ok: true; blueprint: Blueprint }
  | {
      ok: false;
      /** not_json: unparsable text; not_object: JSON but not an object; schema: fails blueprintSchema. */
      reason: 'not_json' | 'not_object' | 'schema';
      issues: ValidationIssue[];
    };

// Models asked for JSON still often wrap it in a markdown fence, with or without a language tag.
const FENCED = /^\s*```[\w-]*[^\S\n]*\n([\s\S]*?)\n?```\s*$/;

export function stripCodeFences(text: string): string {
  return FENCED.exec(text)?.[1] ?? text.trim();
}

/** Parses a model's answer and validates it as a blueprint completed with `facts`. */
export function blueprintFromModelOutput(text: string, facts: BlueprintFacts): ModelOutputResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripCodeFences(text));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: 'not_json', issues: [{ path: [], message: `not valid JSON: ${detail}` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'not_object', issues: [{ path: [], message: 'expected a JSON object' }] };
  }
  const result = blueprintSchema.safeParse({ ...parsed, ...facts });
  return result.success
    ? { ok: true, blueprint: result.data }
    : { ok: false, reason: 'schema', issues: toIssues(result.error) };
}
