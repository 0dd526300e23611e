import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { RunStatusBadge } from './RunStatusBadge';
import { durationText } from './run-status';
import { searchWith } from './search-params';

/** The template's blueprint runs, newest first; each links to its details (`?run=<id>`). */
export function RunHistory({ templateId }: { templateId: string }) {
  const [params] = useSearchParams();
  const selected = params.get('run');
  const runs = useInfiniteQuery({
    queryKey: ['blueprint-runs', 'of-template', templateId],
    queryFn: ({ pageParam }) =>
      api('GET /api/templates/:id/blueprint/runs', {
        params: { id: templateId },
        query: { limit: 20, cursor: pageParam || undefined },
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Run history</h2>
      {runs.isPending ? <p aria-busy="true">Loading runs…</p> : null}
      {runs.isError ? <p role="alert">{runs.error.message}</p> : null}
      {runs.isSuccess && items.length === 0 ? <p>No blueprint has been generated yet.</p> : null}
      {items.length > 0 ? (
        <div className="overflow-auto">
          <table>
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Version</th>
                <th scope="col">Generator</th>
                <th scope="col">Status</th>
                <th scope="col">Attempt</th>
                <th scope="col">Duration</th>
                <th scope="col">Error</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <tr key={run.id} data-run={run.id} aria-current={run.id === selected ? 'true' : undefined}>
                  <td>
                    <time dateTime={run.createdAt}>{new Date(run.createdAt).toLocaleString()}</time>
                  </td>
                  <td>{run.templateVersion}</td>
                  <td>{run.generator}</td>
                  <td>
                    <RunStatusBadge status={run.status} />
                  </td>
                  <td>
                    {run.attempt} of {run.maxAttempts}
                  </td>
                  <td>{durationText(run.durationMs)}</td>
                  <td>{run.errorCode ? <code>{run.errorCode}</code> : null}</td>
                  <td>
                    <Link
                      to={{ search: searchWith(params, { run: run.id }) }}
                      aria-label={`Details of run ${run.id}`}
                    >
                      Details
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {runs.hasNextPage ? (
        <button
          type="button"
          className="outline"
          aria-busy={runs.isFetchingNextPage}
          disabled={runs.isFetchingNextPage}
          onClick={() => void runs.fetchNextPage()}
        >
          Older runs
        </button>
      ) : null}
    </section>
  );
}
