import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { BlueprintView } from './BlueprintView';
import { RunStatusBadge } from './RunStatusBadge';
import { durationText, isActiveRun } from './run-status';
import { searchWith } from './search-params';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** One run: its status, timings, error, raw generator output and the blueprint it produced. */
export function RunDetails({ runId }: { runId: string }) {
  const [params] = useSearchParams();
  const run = useQuery({
    queryKey: ['blueprint-runs', runId],
    queryFn: () => api('GET /api/blueprint-runs/:runId', { params: { runId } }),
    refetchInterval: (query) => (query.state.data && isActiveRun(query.state.data.status) ? 3_000 : false),
  });
  const data = run.data;

  return (
    <article aria-labelledby="run-title">
      <header>
        <h2 id="run-title">Run details</h2>
        <Link to={{ search: searchWith(params, { run: undefined }) }}>Close run details</Link>
      </header>
      {run.isPending ? <p aria-busy="true">Loading the run…</p> : null}
      {run.isError ? <p role="alert">{run.error.message}</p> : null}
      {data ? (
        <>
          <dl className="run-facts">
            <Fact label="Status">
              <RunStatusBadge status={data.status} />
            </Fact>
            <Fact label="Run">
              <code>{data.id}</code>
            </Fact>
            <Fact label="Template version">{data.templateVersion}</Fact>
            <Fact label="Generator">{data.generator}</Fact>
            <Fact label="Attempt">
              {data.attempt} of {data.maxAttempts}
              {data.deferrals > 0 ? ` (deferred ${data.deferrals}×: generator unavailable)` : ''}
            </Fact>
            <Fact label="Requested">{when(data.createdAt)}</Fact>
            <Fact label="Started">{when(data.startedAt)}</Fact>
            <Fact label="Finished">{when(data.finishedAt)}</Fact>
            <Fact label="Duration">{durationText(data.durationMs) || '—'}</Fact>
            <Fact label="Correlation id">
              <code>{data.correlationId}</code>
            </Fact>
          </dl>
          {isActiveRun(data.status) ? <progress aria-label="Run in progress" /> : null}
          {data.errorCode || data.errorMessage ? (
            <section aria-label="Error" className="run-error">
              <h3>Error</h3>
              <p className="error">
                {data.errorCode ? <code>{data.errorCode}</code> : null} {data.errorMessage}
              </p>
            </section>
          ) : null}
          <details>
            <summary>Raw generator output</summary>
            {data.rawOutput ? (
              <pre className="raw-output">{data.rawOutput}</pre>
            ) : (
              <p>No raw output recorded.</p>
            )}
          </details>
          {data.blueprint ? (
            <BlueprintView blueprint={data.blueprint} />
          ) : (
            <p>
              {isActiveRun(data.status)
                ? 'The blueprint is being generated.'
                : 'This run produced no blueprint.'}
            </p>
          )}
        </>
      ) : null}
    </article>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
