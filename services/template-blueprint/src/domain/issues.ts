import type { z } from 'zod';

/** One validation problem, located by its path in the validated value (e.g. `stages.2.tasks.0.key`). */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

export const toIssues = (error: z.ZodError): ValidationIssue[] =>
  error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));

/** `stages.2.tasks.0.key: duplicate task key "x"; …`, at most `limit` issues, for error messages. */
export function describeIssues(issues: readonly ValidationIssue[], limit = 5): string {
  const shown = issues
    .slice(0, limit)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
  const more = issues.length > limit ? ` (and ${issues.length - limit} more)` : '';
  return `${shown.join('; ')}${more}`;
}
