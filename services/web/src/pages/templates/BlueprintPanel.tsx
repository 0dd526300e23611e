import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { RunStatusBadge } from './RunStatusBadge';
import { blueprintStateText, generateOutcomeText, isActiveRun } from './run-status';

/** While a run is under way the status is also polled, in case a live event is missed. */
const ACTIVE_POLL_MS = 3_000;

/**
 * The template's blueprint: the latest run's status (live: run events refetch ['templates']),
 * whether the blueprint is current or stale, and generating a new one.
 */
export function BlueprintPanel({
  templateId,
  canGenerate,
  archived,
  onRunStarted,
}: {
  templateId: string;
  canGenerate: boolean;
  archived: boolean;
  onRunStarted: (runId: string) => void;
}) {
  const client = useQueryClient();
  const [generator, setGenerator] = useState<'rules' | 'llm'>('rules');
  const [force, setForce] = useState(false);
  const status = useQuery({
    queryKey: ['templates', templateId, 'blueprint-status'],
    queryFn: () => api('GET /api/templates/:id/blueprint/status', { params: { id: templateId } }),
    refetchInterval: (query) =>
      query.state.data && isActiveRun(query.state.data.status) ? ACTIVE_POLL_MS : false,
  });
  const latestBefore = status.data?.latestRun?.id;
  const generate = useMutation({
    // The latest run known when asked goes along, to tell a new run from one already under way.
    mutationFn: (_latestBefore: string | undefined) =>
      api('POST /api/templates/:id/blueprint/generate', {
        params: { id: templateId },
        body: { generator, force },
      }),
    onSuccess: async (run) => {
      onRunStarted(run.id);
      await Promise.all([
        client.invalidateQueries({ queryKey: ['templates', templateId] }),
        client.invalidateQueries({ queryKey: ['blueprint-runs'] }),
      ]);
    },
  });
  const current = status.data;
  const latest = current?.latestRun;

  return (
    <section aria-labelledby="blueprint-title">
      <h2 id="blueprint-title">Blueprint</h2>
      {status.isPending ? <p aria-busy="true">Loading the blueprint status…</p> : null}
      {status.isError ? <p role="alert">{status.error.message}</p> : null}
      {current ? (
        <>
          <p role="status" aria-live="polite">
            Latest run: <RunStatusBadge status={current.status} />
            {latest ? (
              <small>
                {' '}
                version {latest.templateVersion}, {latest.generator}, attempt {latest.attempt} of{' '}
                {latest.maxAttempts}
              </small>
            ) : null}
          </p>
          {isActiveRun(current.status) ? <progress aria-label="Generating the blueprint" /> : null}
          {latest?.status === 'failed' ? (
            <p className="error">
              <code>{latest.errorCode}</code> {latest.errorMessage}
            </p>
          ) : null}
          <p>{blueprintStateText(current)}</p>
        </>
      ) : null}
      {canGenerate && !archived ? (
        <form
          aria-label="Generate blueprint"
          className="generate-form"
          aria-busy={generate.isPending}
          onSubmit={(event) => {
            event.preventDefault();
            generate.mutate(latestBefore);
          }}
        >
          <label>
            Generator
            <select
              value={generator}
              onChange={(event) => setGenerator(event.target.value as 'rules' | 'llm')}
            >
              <option value="rules">rules (built in)</option>
              <option value="llm">llm (language model)</option>
            </select>
          </label>
          <label>
            <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
            Start a new run even if one is under way
          </label>
          <button type="submit" disabled={generate.isPending} aria-busy={generate.isPending}>
            Generate blueprint
          </button>
        </form>
      ) : null}
      {generate.isSuccess ? (
        <p role="status">{generateOutcomeText(generate.data, generate.variables)}</p>
      ) : null}
      {generate.isError ? (
        <p role="alert" className="error">
          {generate.error.message}
        </p>
      ) : null}
    </section>
  );
}
