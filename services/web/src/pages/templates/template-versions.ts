import type { Template } from '../../api/answers';

export interface VersionEntry {
  version: number;
  state: 'published' | 'draft';
}

/** The versions a person can look at: every published one, then the draft being edited. */
export function versionsOf(template: Template): VersionEntry[] {
  const published = [...template.publishedVersions]
    .sort((a, b) => a - b)
    .map((version) => ({ version, state: 'published' as const }));
  const draft = template.publishedVersions.includes(template.version)
    ? []
    : [{ version: template.version, state: 'draft' as const }];
  return [...published, ...draft];
}

/** Which version the page shows, and whether it may be edited there. */
export type ShownVersion =
  /** The template's current version, from the template itself. */
  | { kind: 'current'; version: number; editable: boolean; canStartNext: boolean }
  /** An older published version: frozen, read from the versions route. */
  | { kind: 'published'; version: number }
  | { kind: 'missing'; version: number };

/**
 * A draft is edited in place; a published version never changes (editing the current published
 * version starts the next version as a draft); an archived template changes no more.
 */
export function shownVersion(template: Template, requested: number | undefined): ShownVersion {
  const version = requested ?? template.version;
  if (version === template.version) {
    return {
      kind: 'current',
      version,
      editable: template.status === 'draft',
      canStartNext: template.status === 'published',
    };
  }
  if (template.publishedVersions.includes(version)) return { kind: 'published', version };
  return { kind: 'missing', version };
}

/** `?version=3` → 3; anything that is not a version number → the current one. */
export function versionParamOf(params: URLSearchParams): number | undefined {
  const value = Number(params.get('version'));
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}
