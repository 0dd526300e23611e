import type { BlueprintStatus, RunStatus } from '../../api/answers';

export const RUN_STATUS_TEXT: Record<RunStatus | 'none', string> = {
  none: 'no runs yet',
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
};

/** A run a worker has yet to finish: the page shows progress and keeps refreshing it. */
export const isActiveRun = (status: RunStatus | 'none') => status === 'queued' || status === 'running';

/** What the template's blueprint is now, in one sentence. */
export function blueprintStateText(status: BlueprintStatus): string {
  if (status.blueprint) {
    return `Current blueprint for version ${status.blueprint.templateVersion}.`;
  }
  if (status.blueprintStale) {
    return 'The blueprint is stale: the content changed since it was generated. Generate it again.';
  }
  return 'No blueprint yet.';
}

/** "850 ms", "2.3 s", "1 min 5 s"; empty while unknown. */
export function durationText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * What asking for a blueprint did: the API answers with a new run, or (without `force`) with the
 * run already queued or running, which is the latest run the page knew of.
 */
export function generateOutcomeText(
  run: { id: string; status: RunStatus },
  latestBefore: string | undefined,
) {
  if (run.id === latestBefore && isActiveRun(run.status)) {
    return `A run is already ${run.status}; showing it.`;
  }
  return `Blueprint run ${run.status}: a worker will generate it.`;
}
