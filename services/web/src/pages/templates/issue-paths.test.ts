import { describe, expect, test } from 'vitest';
import { inputPathsOf, issueIdOf, paths, placeIssues } from './issue-paths';
import { emptyArtifact, emptyField, emptyStageItem, formOf } from './template-form';

const form = () => {
  const made = formOf({ name: 'N', description: '', content: { fields: [], artifacts: [], stages: {} } });
  made.fields = [emptyField(), { ...emptyField(), type: 'select' }];
  made.artifacts = [emptyArtifact()];
  made.stages['3_build'].tasks = [emptyStageItem()];
  return made;
};

describe('API issues beside their inputs', () => {
  test('each issue goes to the input whose path is the longest prefix of its path', () => {
    const placed = placeIssues(
      [
        { path: 'content.fields.0.key', message: 'use lowercase letters' },
        { path: 'content.fields.1.validation.options', message: 'a select field needs validation.options' },
        { path: 'content.fields.1.validation.options.2', message: 'duplicate option "a"' },
        { path: 'content.artifacts.0.contentType.0', message: 'expected a content type' },
        { path: 'content.artifacts.0.maxSizeBytes', message: 'expected number, received undefined' },
        { path: 'content.stages.3_build.tasks.0.key', message: 'must not be empty' },
        { path: 'name', message: 'must not be empty' },
      ],
      inputPathsOf(form()),
    );
    expect(placed.at).toEqual({
      'content.fields.0.key': ['use lowercase letters'],
      'content.fields.1.validation.options': [
        'a select field needs validation.options',
        'duplicate option "a"',
      ],
      'content.artifacts.0.contentType': ['expected a content type'],
      'content.artifacts.0.maxSizeBytes': ['expected number, received undefined'],
      'content.stages.3_build.tasks.0.key': ['must not be empty'],
      name: ['must not be empty'],
    });
    expect(placed.elsewhere).toEqual([]);
  });

  test('an issue about a row or a list goes to that row or list', () => {
    const placed = placeIssues(
      [
        { path: 'content.fields.0.validation', message: 'expected object' },
        { path: 'content.fields', message: 'too many fields' },
        { path: 'content.stages.3_build.tasks.0', message: 'expected object' },
      ],
      inputPathsOf(form()),
    );
    expect(placed.at).toEqual({
      'content.fields.0': ['expected object'],
      'content.fields': ['too many fields'],
      'content.stages.3_build.tasks.0': ['expected object'],
    });
  });

  test('an issue of a row the form lacks goes to its list; one no input owns goes to the top', () => {
    const placed = placeIssues(
      [
        { path: '', message: 'give at least one of name, description, content' },
        { path: 'content.fields.5.key', message: 'row that is no longer there' },
        { path: 'content.fields.0.validation.pattern', message: 'pattern does not apply to a number field' },
      ],
      inputPathsOf(form()),
    );
    // Field 0 is a text field, so its pattern input exists; row 5 does not.
    expect(placed.at).toEqual({
      'content.fields.0.validation.pattern': ['pattern does not apply to a number field'],
      'content.fields': ['row that is no longer there'],
    });
    expect(placed.elsewhere).toEqual([
      { path: '', message: 'give at least one of name, description, content' },
    ]);
  });

  test('a field offers inputs only for the validation rules its type takes', () => {
    const inputs = inputPathsOf(form());
    expect(inputs).toContain(paths.field(0, 'validation.pattern'));
    expect(inputs).not.toContain(paths.field(1, 'validation.pattern'));
    expect(inputs).toContain(paths.field(1, 'validation.options'));
  });

  test('ids for the issue messages are valid and distinct per input', () => {
    expect(issueIdOf('content.fields.0.key')).toBe('issue-content-fields-0-key');
    expect(issueIdOf('content.fields.0.key')).not.toBe(issueIdOf('content.fields.0.label'));
  });
});
