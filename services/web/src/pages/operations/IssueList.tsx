import type { FieldIssue } from '../../api/client';

/** API issues no field of the form shows, with the path they are about. */
export function IssueList({ issues }: { issues: FieldIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul role="alert" className="error">
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>
          {issue.path ? <code>{issue.path}</code> : null} {issue.message}
        </li>
      ))}
    </ul>
  );
}
