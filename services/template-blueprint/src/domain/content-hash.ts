import { createHash } from 'node:crypto';
import type { TemplateContent } from './template.js';

/** What a blueprint is generated from: a version's text and structure. */
export interface VersionContent {
  name: string;
  description: string;
  content: TemplateContent;
}

/**
 * sha256 of the canonical JSON of what a generator reads. A blueprint belongs to exactly the
 * content it was generated from: a draft edited after its run gets another hash, so the old
 * blueprint no longer counts as that version's.
 */
export function contentHash({ name, description, content }: VersionContent): string {
  return createHash('sha256').update(canonicalJson({ name, description, content })).digest('hex');
}

/** JSON with object keys sorted at every level, so equal content hashes equally however stored. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
