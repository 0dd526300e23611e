import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { Link } from 'react-router';
import type { JobStatus, JobSummary } from '../../api/answers';
import { api } from '../../api/client';
import { STAGE_LABELS } from '../../stage-labels';
import { ErrorNote } from './ErrorNote';
import { useJobPages, useProjectNames } from './job-queries';

export type JobListVariant = 'failed' | 'retrying' | 'needs-human';

const STATUS_OF: Record<JobListVariant, JobStatus> = {
  failed: 'FAILED',
  // Retrying jobs are queued ones whose last attempt failed; the API has no status for them.
  retrying: 'QUEUED',
  'needs-human': 'NEEDS_HUMAN',
};

const DETAIL_HEADINGS: Record<JobListVariant, [string, string | null]> = {
  failed: ['Last error', 'Failed at'],
  retrying: ['Last error', 'Next try'],
  'needs-human': ['Why it waits', null],
};

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function JobList(props: {
  title: string;
  variant: JobListVariant;
  emptyText: string;
  select?: (job: JobSummary) => boolean;
}) {
  const { title, variant, emptyText, select = () => true } = props;
  const headingId = useId();
  const pages = useJobPages(STATUS_OF[variant]);
  const names = useProjectNames();
  const jobs = (pages.data?.pages ?? []).flatMap((page) => page.items).filter(select);
  const [detail, when] = DETAIL_HEADINGS[variant];
  return (
    <article aria-labelledby={headingId} data-job-list={variant}>
      <h2 id={headingId}>{title}</h2>
      {pages.isPending ? <p aria-busy="true">Loading…</p> : null}
      <ErrorNote error={pages.error} />
      {pages.data && jobs.length === 0 ? (
        <p>{pages.hasNextPage ? `${emptyText} (among the jobs loaded so far)` : emptyText}</p>
      ) : null}
      {jobs.length > 0 ? (
        <div className="overflow-auto">
          <table>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Stage</th>
                <th scope="col">Kind</th>
                <th scope="col">Attempts</th>
                <th scope="col">{detail}</th>
                {when ? <th scope="col">{when}</th> : null}
                {variant === 'failed' ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} data-job-id={job.id}>
                  <td>
                    <Link to={`/projects/${encodeURIComponent(job.projectId)}`}>
                      {names.get(job.projectId) ?? job.projectId}
                    </Link>
                  </td>
                  <td>{STAGE_LABELS[job.stage] ?? job.stage}</td>
                  <td>{job.kind}</td>
                  <td>
                    {job.attempts} of {job.maxAttempts}
                  </td>
                  <td className="job-detail">
                    {(variant === 'needs-human' ? job.needsHumanReason : job.error) ?? '—'}
                  </td>
                  {variant === 'failed' ? <td>{time(job.finishedAt)}</td> : null}
                  {variant === 'retrying' ? <td>{time(job.nextRunAt)}</td> : null}
                  {variant === 'failed' ? (
                    <td>
                      <RetryButton job={job} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pages.hasNextPage ? (
        <button
          type="button"
          className="secondary outline"
          aria-busy={pages.isFetchingNextPage}
          disabled={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          Show more
        </button>
      ) : null}
    </article>
  );
}

function RetryButton({ job }: { job: JobSummary }) {
  const client = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api('POST /api/jobs/:id/retry', { params: { id: job.id } }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['jobs'] }),
        client.invalidateQueries({ queryKey: ['project', job.projectId] }),
        client.invalidateQueries({ queryKey: ['projects'] }),
      ]),
  });
  return (
    <>
      <button
        type="button"
        aria-busy={retry.isPending}
        disabled={retry.isPending}
        onClick={() => retry.mutate()}
      >
        Retry
      </button>
      <ErrorNote error={retry.error} />
    </>
  );
}
