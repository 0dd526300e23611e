import { JobList } from './JobList';
import { JobStatsPanel } from './JobStatsPanel';
import { isRetrying } from './job-stats';

/** What the job runner holds, and the jobs that wait on someone or something. */
export function JobsView() {
  return (
    <>
      <JobStatsPanel />
      <JobList title="Failed jobs" variant="failed" emptyText="No failed jobs." />
      <JobList title="Jobs that need a person" variant="needs-human" emptyText="No job needs a person." />
      <JobList
        title="Retrying jobs"
        variant="retrying"
        emptyText="No job is waiting to retry."
        select={isRetrying}
      />
    </>
  );
}
