import type { Job } from '../../api/answers';
import { api } from '../../api/client';
import { DefectDecisions } from './DefectDecisions';
import { ErrorNotice, ReadState } from './ErrorNotice';
import { formatTime, humanize, relativeTime } from './format';
import { JobResult } from './JobResult';
import { defectsToDecide } from './job-results';
import { useJob, useProjectChange } from './project-queries';

/** Job states an operator may cancel (a running one stops at its next heartbeat) or retry. */
const CANCELABLE = new Set(['QUEUED', 'RUNNING', 'NEEDS_HUMAN']);

/** A stage's job as the job-runner sees it: attempts, errors, result, and what people can do with it. */
export function JobPanel(props: {
  projectId: string;
  jobId: string;
  /** The test stage's output, where defects come from before validation has run. */
  testOutput: unknown;
  /** Whether the defects may be decided here: the job waits for a person and this person may resume. */
  decide: boolean;
  operate: boolean;
}) {
  const job = useJob(props.projectId, props.jobId);
  const onJob = { params: { id: props.jobId } };
  const cancel = useProjectChange(props.projectId, () => api('POST /api/jobs/:id/cancel', onJob));
  const retry = useProjectChange(props.projectId, () => api('POST /api/jobs/:id/retry', onJob));
  if (!job.data) return <ReadState query={job} what="the job" />;
  const data = job.data;
  const deciding = props.decide && data.kind === 'defect_validation' && data.status === 'NEEDS_HUMAN';
  return (
    <section aria-label="Job" data-testid="job" data-job-status={data.status}>
      <h3>
        {data.kind} job{' '}
        <span className={`status status-${data.status.toLowerCase()}`}>{humanize(data.status)}</span>
      </h3>
      <JobFacts job={data} />
      {props.operate ? (
        <div className="next-steps">
          {CANCELABLE.has(data.status) ? (
            <button
              type="button"
              className="secondary"
              aria-busy={cancel.isPending}
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(undefined)}
            >
              Cancel job
            </button>
          ) : null}
          {data.status === 'FAILED' ? (
            <button
              type="button"
              aria-busy={retry.isPending}
              disabled={retry.isPending}
              onClick={() => retry.mutate(undefined)}
            >
              Retry job
            </button>
          ) : null}
        </div>
      ) : null}
      <ErrorNotice error={cancel.error} />
      <ErrorNotice error={retry.error} />
      {deciding ? (
        <DefectDecisions
          key={`${data.id}:${data.attempts}`}
          projectId={props.projectId}
          defects={defectsToDecide(data.result, props.testOutput)}
        />
      ) : (
        <JobResult result={data.result} />
      )}
      <Attempts job={data} />
    </section>
  );
}

function JobFacts({ job }: { job: Job }) {
  const now = Date.now();
  return (
    <ul>
      <li>
        Attempt {job.attempts} of {job.maxAttempts}
      </li>
      {job.needsHumanReason && job.status === 'NEEDS_HUMAN' ? (
        <li>Needs a person: {job.needsHumanReason}</li>
      ) : null}
      {job.error ? <li>Last error: {job.error}</li> : null}
      {job.status === 'QUEUED' && job.nextRunAt ? (
        <li>
          {job.attempts > 0 ? 'Next retry' : 'Runs'} {relativeTime(job.nextRunAt, now)} (
          {formatTime(job.nextRunAt)})
        </li>
      ) : null}
      {job.lockedBy ? (
        <li>
          Held by worker {job.lockedBy}
          {job.leaseExpiresAt ? `, lease until ${formatTime(job.leaseExpiresAt)}` : ''}
        </li>
      ) : null}
      <li>
        Created {formatTime(job.createdAt)}
        {job.startedAt ? `, started ${formatTime(job.startedAt)}` : ''}
        {job.finishedAt ? `, finished ${formatTime(job.finishedAt)}` : ''}
      </li>
    </ul>
  );
}

function Attempts({ job }: { job: Job }) {
  if (job.history.length === 0) return null;
  return (
    <details>
      <summary>Attempts ({job.history.length})</summary>
      <div className="table-scroll">
        <table aria-label="Attempts">
          <thead>
            <tr>
              <th>Attempt</th>
              <th>Worker</th>
              <th>Started</th>
              <th>Ended</th>
              <th>Outcome</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {job.history.map((attempt, index) => (
              // An attempt interrupted by a shutdown is given back, so numbers can repeat.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <tr key={index}>
                <td>{attempt.attempt}</td>
                <td>{attempt.workerId}</td>
                <td>{formatTime(attempt.startedAt)}</td>
                <td>{formatTime(attempt.endedAt)}</td>
                <td>{attempt.outcome ? humanize(attempt.outcome) : 'running'}</td>
                <td>{attempt.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
