import { explain } from './api-errors';

/** An API error as the API said it; issues with a field of their own are left to that field. */
export function ErrorNotice({ error, shownBeside = [] }: { error: unknown; shownBeside?: string[] }) {
  if (!error) return null;
  const { message, lines } = explain(error, shownBeside);
  return (
    <div role="alert" className="error">
      <p>{message}</p>
      {lines.length > 0 ? (
        <ul>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Loading and failed states of a read, the same everywhere on the page. */
export function ReadState({ query, what }: { query: { isPending: boolean; error: unknown }; what: string }) {
  if (query.error) return <ErrorNotice error={query.error} />;
  if (query.isPending) return <p aria-busy="true">Loading {what}…</p>;
  return null;
}
