import { type InputHTMLAttributes, type ReactNode, useId } from 'react';
import { issueIdOf, type PlacedIssues } from './issue-paths';

/** The API's messages for one input (or row, or list), announced, beside it. */
export function Issues({ path, placed }: { path: string; placed: PlacedIssues }) {
  const messages = placed.at[path];
  if (!messages?.length) return null;
  return (
    <small id={issueIdOf(path)} role="alert" className="error">
      {messages.join('; ')}
    </small>
  );
}

/** aria-invalid and aria-describedby for an input the API found fault with. */
export function issueProps(
  path: string,
  placed: PlacedIssues,
): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return placed.at[path]?.length ? { 'aria-invalid': true, 'aria-describedby': issueIdOf(path) } : {};
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/**
 * A labelled text input with its hint and API issues beneath it: outside the label, so the
 * input's accessible name stays its label alone (tests and screen readers find it by that).
 */
export function TextInput({
  label,
  path,
  placed,
  value,
  onChange,
  hint,
  ...rest
}: {
  label: string;
  path: string;
  placed: PlacedIssues;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
} & InputProps) {
  const hintId = useId();
  const issues = issueProps(path, placed);
  const describedBy = [hint ? hintId : undefined, issues['aria-describedby']].filter(Boolean).join(' ');
  return (
    <div>
      <label>
        {label}
        <input
          {...rest}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={issues['aria-invalid']}
          aria-describedby={describedBy || undefined}
        />
      </label>
      {hint ? <small id={hintId}>{hint}</small> : null}
      <Issues path={path} placed={placed} />
    </div>
  );
}

export function Checkbox({
  label,
  path,
  placed,
  checked,
  onChange,
}: {
  label: string;
  path: string;
  placed: PlacedIssues;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div>
      <label>
        <input
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          {...issueProps(path, placed)}
        />
        {label}
      </label>
      <Issues path={path} placed={placed} />
    </div>
  );
}

/** Replaces one row of a list, by index, leaving the others as they are. */
export const replaced = <T,>(rows: readonly T[], index: number, row: T): T[] =>
  rows.map((current, at) => (at === index ? row : current));
