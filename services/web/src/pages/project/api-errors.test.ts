import { describe, expect, test } from 'vitest';
import { ApiError } from '../../api/client';
import { allIssues, explain, issuesUnder } from './api-errors';

describe('API errors on the page', () => {
  const invalid = new ApiError(400, 'validation_failed', 'Some fields need attention', [
    { path: 'answers.domain', message: 'must be an http or https URL' },
    { path: 'answers.domain', message: 'second message is not shown' },
    { path: 'answers.seats', message: 'must be at least 1' },
    { path: 'other', message: 'is not allowed' },
  ]);

  test('field issues are keyed by field, first message each', () => {
    expect(issuesUnder(invalid, 'answers.')).toEqual({
      domain: 'must be an http or https URL',
      seats: 'must be at least 1',
    });
    expect(issuesUnder(new Error('x'), 'answers.')).toEqual({});
  });

  test('the notice keeps only what no field shows', () => {
    expect(explain(invalid, ['answers.'])).toEqual({
      message: 'Some fields need attention',
      lines: ['other: is not allowed'],
    });
  });

  test("another service's refusal, passed on by the pipeline, is shown as it said it", () => {
    const refused = new ApiError(422, 'unprocessable', 'job-runner refused: HTTP 422', [], {
      service: 'job-runner',
      answer: {
        error: 'unprocessable',
        message: 'the resume input is not valid',
        details: { issues: [{ path: 'input.decisions.fp-9', message: 'no defect has this fingerprint' }] },
      },
    });
    expect(explain(refused)).toEqual({
      message: 'job-runner refused: HTTP 422: the resume input is not valid',
      lines: ['input.decisions.fp-9: no defect has this fingerprint'],
    });
    expect(allIssues(refused)).toHaveLength(1);
  });

  test('anything else shows its message', () => {
    expect(explain(new Error('offline'))).toEqual({ message: 'offline', lines: [] });
  });
});
