import type { TemplateArtifact, TemplateField } from '@delivery/contracts';

// Past this many characters a list of options is summarised, so a checklist item stays readable.
const MAX_LISTED = 300;

const TYPE_HINTS: Record<TemplateField['type'], string> = {
  text: 'Free text',
  number: 'A number',
  boolean: 'Yes or no',
  date: 'A date (YYYY-MM-DD)',
  select: 'One of the listed options',
  email: 'A valid email address',
  url: 'A valid URL',
};

const listOrCount = (values: readonly string[], noun: string): string => {
  const listed = values.join(', ');
  return listed.length <= MAX_LISTED ? listed : `${values.length} ${noun}`;
};

function rangeHint(type: TemplateField['type'], min?: number, max?: number): string | undefined {
  const unit = type === 'number' ? '' : ' characters';
  if (min !== undefined && max !== undefined) return `Between ${min} and ${max}${unit}`;
  if (min !== undefined) return `At least ${min}${unit}`;
  if (max !== undefined) return `At most ${max}${unit}`;
  return undefined;
}

/** What an onboarding answer must look like, one rule per item. */
export function fieldChecklist(field: TemplateField): string[] {
  const rules = field.validation ?? {};
  const items = [
    rules.options ? `One of: ${listOrCount(rules.options, 'options')}` : TYPE_HINTS[field.type],
    rangeHint(field.type, rules.min, rules.max),
    rules.pattern !== undefined ? `Matches the pattern /${rules.pattern}/` : undefined,
  ];
  return items.filter((item) => item !== undefined);
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 52428800 → "50 MiB"; sizes that are not a whole unit keep one decimal. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}

/** The constraints the build check applies to an upload, in words. */
export function artifactChecklist(artifact: TemplateArtifact): string[] {
  const types = typeof artifact.contentType === 'string' ? [artifact.contentType] : artifact.contentType;
  const size = formatBytes(artifact.maxSizeBytes);
  return [
    `Uploaded under the name "${artifact.name}"`,
    types.length === 1 ? `Content type ${types[0]}` : `Content type one of ${listOrCount(types, 'types')}`,
    size.endsWith(' bytes') ? `At most ${size}` : `At most ${size} (${artifact.maxSizeBytes} bytes)`,
  ];
}
