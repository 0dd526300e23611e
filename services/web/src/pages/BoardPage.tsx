import { STAGES } from '@delivery/contracts/stages';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { ProjectSummary } from '../api/answers';
import { type ApiQuery, api } from '../api/client';
import { STAGE_LABELS } from '../stage-labels';
import { filtersOf, type RetryingJob, retryingByProject, visible } from './board-filters';
import { NewProjectForm } from './NewProjectForm';

const STATUSES = [
  'blocked',
  'ready',
  'awaiting_approval',
  'running',
  'retrying',
  'needs_human',
  'failed',
  'sent_back',
  'succeeded',
];

/** Every project as a card in its stage's column; live (the events refetch it), filtered by the URL. */
export function BoardPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const query: ApiQuery<'GET /api/projects'> = {
    limit: 200,
    client: filters.client,
    search: filters.search,
    deliveryManagerId: filters.manager,
  };
  const projects = useQuery({
    queryKey: ['projects', query],
    queryFn: () => api('GET /api/projects', { query }),
  });
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  // Jobs queued again after a failed attempt: which cards say "retrying", with the attempt and
  // the error (job events refresh it).
  const queued = useQuery({
    queryKey: ['jobs', 'queued'],
    queryFn: () => api('GET /api/jobs', { query: { status: 'QUEUED', limit: 200 } }),
  });
  const retrying = retryingByProject(queued.data?.items ?? []);
  const shown = visible(projects.data?.items ?? [], filters, Date.now(), retrying);

  return (
    <>
      <NewProjectForm />
      <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filters">
        <label>
          Search
          <input type="search" value={filters.search ?? ''} onChange={(e) => set('search', e.target.value)} />
        </label>
        <label>
          Client
          <input value={filters.client ?? ''} onChange={(e) => set('client', e.target.value)} />
        </label>
        <label>
          Manager
          <input
            value={filters.manager ?? ''}
            onChange={(e) => set('manager', e.target.value)}
            placeholder="id"
          />
        </label>
        <label>
          Status
          <select value={filters.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">any</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stuck for more than (minutes)
          <input
            type="number"
            min={1}
            value={filters.stuckMinutes ?? ''}
            onChange={(e) => set('stuck', e.target.value)}
          />
        </label>
      </form>
      {projects.isPending ? <p aria-busy="true">Loading projects…</p> : null}
      {projects.isError ? <p role="alert">{projects.error.message}</p> : null}
      {projects.data && projects.data.items.length === 0 ? <p>No projects yet.</p> : null}
      <div className="board">
        {STAGES.map((stage) => (
          <section key={stage} aria-label={STAGE_LABELS[stage]} data-stage={stage}>
            <h2>{STAGE_LABELS[stage]}</h2>
            {shown
              .filter((project) => project.currentStage === stage)
              .map((project) => (
                <Link
                  key={project.id}
                  to={`/projects/${project.id}`}
                  className="card"
                  data-project={project.name}
                >
                  <strong>{project.name}</strong>
                  <small>{project.client}</small>
                  <RetryAwareStatus
                    project={project}
                    retry={project.stageStatus === 'running' ? retrying.get(project.id) : undefined}
                  />
                </Link>
              ))}
          </section>
        ))}
      </div>
    </>
  );
}

function RetryAwareStatus({ project, retry }: { project: ProjectSummary; retry: RetryingJob | undefined }) {
  if (retry) {
    return (
      <>
        <span className="status status-failed">retrying</span>
        <small>
          attempt {retry.attempts} of {retry.maxAttempts}: {retry.error}
        </small>
      </>
    );
  }
  return (
    <>
      <span className={`status status-${project.stageStatus}`}>
        {project.status === 'completed' ? 'complete' : project.stageStatus.replace('_', ' ')}
      </span>
      {project.reason ? <small>{project.reason}</small> : null}
    </>
  );
}
