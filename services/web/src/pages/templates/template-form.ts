import type { FieldType } from '@delivery/contracts/field-types';
import { STAGES, type Stage } from '@delivery/contracts/stages';
import type { StageItem, TemplateArtifact, TemplateContent, TemplateField } from '../../api/answers';

/**
 * The template editor's state: what the inputs hold (text as typed), turned into the API's
 * template content only when saved, so the API judges it and its issues land beside the inputs.
 */
export interface FieldRow {
  uid: string;
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  pattern: string;
  min: string;
  max: string;
  /** One option per line. */
  options: string;
}

export interface ArtifactRow {
  uid: string;
  name: string;
  /** Comma-separated: one content type, or several (`application/zip, application/x-tar`). */
  contentType: string;
  maxSizeBytes: string;
  required: boolean;
  description: string;
}

export interface StageItemRow {
  uid: string;
  key: string;
  title: string;
  description: string;
}

export type StageItemKind = 'tasks' | 'checks';
export type StageRows = Record<StageItemKind, StageItemRow[]>;

export interface TemplateForm {
  name: string;
  description: string;
  fields: FieldRow[];
  artifacts: ArtifactRow[];
  stages: Record<Stage, StageRows>;
}

export type ValidationRule = 'pattern' | 'min' | 'max' | 'options';

/** Which validation rules a field type takes (as the API decides it; others are refused). */
const RULES_OF: Record<FieldType, readonly ValidationRule[]> = {
  text: ['pattern', 'min', 'max'],
  email: ['pattern', 'min', 'max'],
  url: ['pattern', 'min', 'max'],
  number: ['min', 'max'],
  select: ['options'],
  boolean: [],
  date: [],
};

export const rulesOf = (type: FieldType): readonly ValidationRule[] => RULES_OF[type];

/** For text-like fields min and max count characters; for numbers they bound the value. */
export const boundsLength = (type: FieldType) => type === 'text' || type === 'email' || type === 'url';

let lastUid = 0;
/** Stable row identity for React while rows are added and removed (never sent to the API). */
export const newUid = () => `row-${++lastUid}`;

export const emptyField = (): FieldRow => ({
  uid: newUid(),
  key: '',
  label: '',
  type: 'text',
  required: true,
  pattern: '',
  min: '',
  max: '',
  options: '',
});

export const emptyArtifact = (): ArtifactRow => ({
  uid: newUid(),
  name: '',
  contentType: '',
  maxSizeBytes: '',
  required: true,
  description: '',
});

export const emptyStageItem = (): StageItemRow => ({ uid: newUid(), key: '', title: '', description: '' });

const emptyStages = (): Record<Stage, StageRows> =>
  Object.fromEntries(STAGES.map((stage) => [stage, { tasks: [], checks: [] }])) as unknown as Record<
    Stage,
    StageRows
  >;

const numberText = (value: number | undefined) => (value === undefined ? '' : String(value));

/** The editor's state for a template version as the API gave it. */
export function formOf(source: {
  name: string;
  description: string;
  content: TemplateContent;
}): TemplateForm {
  const stages = emptyStages();
  for (const stage of STAGES) {
    const given = source.content.stages?.[stage];
    if (!given) continue;
    stages[stage] = {
      tasks: (given.tasks ?? []).map(itemRowOf),
      checks: (given.checks ?? []).map(itemRowOf),
    };
  }
  return {
    name: source.name,
    description: source.description ?? '',
    fields: (source.content.fields ?? []).map((field) => ({
      uid: newUid(),
      key: field.key,
      label: field.label,
      type: field.type,
      required: field.required,
      pattern: field.validation?.pattern ?? '',
      min: numberText(field.validation?.min),
      max: numberText(field.validation?.max),
      options: (field.validation?.options ?? []).join('\n'),
    })),
    artifacts: (source.content.artifacts ?? []).map((artifact) => ({
      uid: newUid(),
      name: artifact.name,
      contentType: [artifact.contentType].flat().join(', '),
      maxSizeBytes: String(artifact.maxSizeBytes),
      required: artifact.required,
      description: artifact.description ?? '',
    })),
    stages,
  };
}

const itemRowOf = (item: StageItem): StageItemRow => ({
  uid: newUid(),
  key: item.key,
  title: item.title,
  description: item.description ?? '',
});

/** An empty text is "not given"; anything else goes as a number (the API says if it is not one). */
const numberOf = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

function fieldOf(row: FieldRow): TemplateField {
  const validation: TemplateField['validation'] = {};
  const rules = rulesOf(row.type);
  // Rules the type does not take are left out: they belong to a type the row had before.
  if (rules.includes('pattern') && row.pattern !== '') validation.pattern = row.pattern;
  const min = numberOf(row.min);
  if (rules.includes('min') && min !== undefined) validation.min = min;
  const max = numberOf(row.max);
  if (rules.includes('max') && max !== undefined) validation.max = max;
  if (rules.includes('options')) {
    const options = row.options
      .split('\n')
      .map((option) => option.trim())
      .filter(Boolean);
    if (options.length > 0) validation.options = options;
  }
  return {
    key: row.key.trim(),
    label: row.label,
    type: row.type,
    required: row.required,
    ...(Object.keys(validation).length > 0 ? { validation } : {}),
  };
}

function artifactOf(row: ArtifactRow): TemplateArtifact {
  const types = row.contentType
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  return {
    name: row.name,
    contentType: types.length > 1 ? types : (types[0] ?? ''),
    maxSizeBytes: numberOf(row.maxSizeBytes) as number,
    required: row.required,
    ...(row.description.trim() ? { description: row.description } : {}),
  };
}

const itemOf = (row: StageItemRow): StageItem => ({
  key: row.key.trim(),
  title: row.title,
  ...(row.description.trim() ? { description: row.description } : {}),
});

/** The template content the API takes, from the editor's state; stages without items are left out. */
export function contentOf(form: TemplateForm): TemplateContent {
  const stages: TemplateContent['stages'] = {};
  for (const stage of STAGES) {
    const { tasks, checks } = form.stages[stage];
    if (tasks.length === 0 && checks.length === 0) continue;
    stages[stage] = { tasks: tasks.map(itemOf), checks: checks.map(itemOf) };
  }
  return {
    fields: form.fields.map(fieldOf),
    artifacts: form.artifacts.map(artifactOf),
    stages,
  };
}

/** The body of `PUT /api/templates/:id` (and of `POST /api/templates`). */
export const templateBodyOf = (form: TemplateForm) => ({
  name: form.name,
  description: form.description,
  content: contentOf(form),
});

/** "1.5 MB" beside a size in bytes, so 1000000 vs 10000000 is not a guess. */
export function bytesText(text: string): string {
  const bytes = numberOf(text);
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '';
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}
