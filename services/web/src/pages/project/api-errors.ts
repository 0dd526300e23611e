import { ApiError, type FieldIssue } from '../../api/client';

/**
 * Turns what the API said into what the page shows: field issues beside their fields, the rest
 * (and what another service answered through the pipeline, e.g. the job-runner refusing resume
 * input) as lines under the message.
 */

/** Field messages under a path prefix, keyed by the rest of the path (`answers.domain` → `domain`). */
export function issuesUnder(error: unknown, prefix: string): Record<string, string> {
  const byKey: Record<string, string> = {};
  for (const issue of allIssues(error)) {
    if (!issue.path.startsWith(prefix)) continue;
    const key = issue.path.slice(prefix.length);
    byKey[key] ??= issue.message;
  }
  return byKey;
}

export interface Explained {
  message: string;
  /** Issues not shown beside a field, as `path: message`. */
  lines: string[];
}

/** The error as a notice; issues whose path starts with one of `shownBeside` are left to their fields. */
export function explain(error: unknown, shownBeside: string[] = []): Explained {
  if (!(error instanceof ApiError)) {
    return { message: error instanceof Error ? error.message : String(error), lines: [] };
  }
  const answer = upstreamAnswer(error);
  const message = answer?.message ? `${error.message}: ${answer.message}` : error.message;
  const lines = allIssues(error)
    .filter((issue) => !shownBeside.some((prefix) => issue.path.startsWith(prefix)))
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  return { message, lines };
}

/** The issues the API named: in the body, in `details.issues`, or in a refusing service's answer. */
export function allIssues(error: unknown): FieldIssue[] {
  if (!(error instanceof ApiError)) return [];
  const answer = upstreamAnswer(error);
  return [
    ...error.issues,
    ...issueList(error.details?.issues),
    ...issueList(answer?.issues),
    ...issueList(answer?.details?.issues),
  ];
}

interface UpstreamAnswer {
  message?: string;
  issues?: unknown;
  details?: { issues?: unknown };
}

function upstreamAnswer(error: ApiError): UpstreamAnswer | undefined {
  const answer = error.details?.answer;
  return typeof answer === 'object' && answer !== null ? (answer as UpstreamAnswer) : undefined;
}

function issueList(value: unknown): FieldIssue[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is FieldIssue =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as FieldIssue).path === 'string' &&
      typeof (item as FieldIssue).message === 'string',
  );
}
