import type { JobSummary, ProjectSummary } from '../api/answers';

/** What the board shows, as the URL says it (so a filtered board can be shared). */
export interface BoardFilters {
  status?: string;
  client?: string;
  /** The delivery manager's id. */
  manager?: string;
  search?: string;
  /** Only projects whose stage has not moved for more than this many minutes. */
  stuckMinutes?: number;
}

export function filtersOf(params: URLSearchParams): BoardFilters {
  const stuck = Number(params.get('stuck'));
  return {
    status: params.get('status') || undefined,
    client: params.get('client') || undefined,
    manager: params.get('manager') || undefined,
    search: params.get('search') || undefined,
    stuckMinutes: Number.isFinite(stuck) && stuck > 0 ? stuck : undefined,
  };
}

/** A stage's job that failed an attempt and waits to try again (the job-runner's view of it). */
export type RetryingJob = Pick<JobSummary, 'projectId' | 'attempts' | 'maxAttempts' | 'error' | 'nextRunAt'>;

/** Projects whose running stage's job is waiting to retry: queued again with an error kept. */
export function retryingByProject(queuedJobs: readonly RetryingJob[]): Map<string, RetryingJob> {
  return new Map(
    queuedJobs.filter((job) => job.error !== null && job.attempts > 0).map((job) => [job.projectId, job]),
  );
}

/** The API filters by client, manager and name; status (with `retrying`) and stuck-for are the board's own. */
export function visible(
  projects: ProjectSummary[],
  filters: BoardFilters,
  now: number,
  retrying: ReadonlyMap<string, RetryingJob> = new Map(),
): ProjectSummary[] {
  const isRetrying = (project: ProjectSummary) =>
    project.stageStatus === 'running' && retrying.has(project.id);
  return projects.filter((project) => {
    if (filters.status === 'retrying' && !isRetrying(project)) return false;
    if (filters.status && filters.status !== 'retrying' && project.stageStatus !== filters.status)
      return false;
    if (filters.stuckMinutes !== undefined) {
      const still = now - new Date(project.updatedAt).getTime();
      if (project.status !== 'active' || still < filters.stuckMinutes * 60_000) return false;
    }
    return true;
  });
}
