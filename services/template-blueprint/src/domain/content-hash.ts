import { createHash } from 'node:crypto';
import type { TemplateContent } from '@delivery/contracts';
import { canonicalJson } from '@delivery/contracts';

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
