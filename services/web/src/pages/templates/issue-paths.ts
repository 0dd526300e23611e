import { STAGES, type Stage } from '@delivery/contracts/stages';
import type { FieldIssue } from '../../api/client';
import { rulesOf, type StageItemKind, type TemplateForm } from './template-form';

/**
 * Where each API issue goes: the API names the place in the body it sent (`content.fields.0.key`,
 * `content.artifacts.1.contentType.0`); each input of the editor has such a path, and an issue is
 * shown at the input whose path is the longest prefix of it. An issue no input owns (the root, or
 * something the form does not edit) is shown at the top of the form.
 */
export const paths = {
  name: 'name',
  description: 'description',
  fields: 'content.fields',
  field: (index: number, part?: string) => `content.fields.${index}${part ? `.${part}` : ''}`,
  artifacts: 'content.artifacts',
  artifact: (index: number, part?: string) => `content.artifacts.${index}${part ? `.${part}` : ''}`,
  stage: (stage: Stage) => `content.stages.${stage}`,
  stageItems: (stage: Stage, kind: StageItemKind) => `content.stages.${stage}.${kind}`,
  stageItem: (stage: Stage, kind: StageItemKind, index: number, part?: string) =>
    `content.stages.${stage}.${kind}.${index}${part ? `.${part}` : ''}`,
};

/** Every path an input (or a list or row of inputs) of this form answers for. */
export function inputPathsOf(form: TemplateForm): string[] {
  const found = [paths.name, paths.description, paths.fields, paths.artifacts];
  form.fields.forEach((field, index) => {
    found.push(
      paths.field(index),
      ...['key', 'label', 'type', 'required'].map((part) => paths.field(index, part)),
    );
    for (const rule of rulesOf(field.type)) found.push(paths.field(index, `validation.${rule}`));
  });
  form.artifacts.forEach((_, index) => {
    found.push(
      paths.artifact(index),
      ...['name', 'contentType', 'maxSizeBytes', 'required', 'description'].map((part) =>
        paths.artifact(index, part),
      ),
    );
  });
  for (const stage of STAGES) {
    found.push(paths.stage(stage));
    for (const kind of ['tasks', 'checks'] as const) {
      found.push(paths.stageItems(stage, kind));
      form.stages[stage][kind].forEach((_, index) => {
        found.push(
          ...['', 'key', 'title', 'description'].map((part) => paths.stageItem(stage, kind, index, part)),
        );
      });
    }
  }
  return found;
}

export interface PlacedIssues {
  /** Messages per input path. */
  at: Record<string, string[]>;
  /** Issues no input owns, shown at the top of the form. */
  elsewhere: FieldIssue[];
}

const isWithin = (issuePath: string, inputPath: string) =>
  issuePath === inputPath || issuePath.startsWith(`${inputPath}.`);

export function placeIssues(issues: readonly FieldIssue[], inputPaths: readonly string[]): PlacedIssues {
  const placed: PlacedIssues = { at: {}, elsewhere: [] };
  for (const issue of issues) {
    const owner = inputPaths
      .filter((inputPath) => isWithin(issue.path, inputPath))
      .reduce<string | undefined>(
        (best, next) => (best && best.length >= next.length ? best : next),
        undefined,
      );
    if (owner === undefined) placed.elsewhere.push(issue);
    else {
      placed.at[owner] ??= [];
      placed.at[owner].push(issue.message);
    }
  }
  return placed;
}

/** The id of the element that shows an input's issues (aria-describedby points at it). */
export const issueIdOf = (path: string) => `issue-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
