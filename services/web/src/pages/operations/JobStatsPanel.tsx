import { useQuery } from '@tanstack/react-query';
import type { JobStats } from '../../api/answers';
import { api } from '../../api/client';
import { ErrorNote } from './ErrorNote';
import { ATTENTION_STATUSES, formatDuration, statsTable, statusLabel } from './job-stats';

/** The job stats cannot know how long the oldest job has waited by now unless asked again. */
const STATS_REFRESH_MS = 30_000;

export function JobStatsPanel() {
  const stats = useQuery({
    queryKey: ['jobs', 'stats'],
    queryFn: () => api('GET /api/jobs/stats'),
    refetchInterval: STATS_REFRESH_MS,
  });
  return (
    <article aria-labelledby="job-stats-heading">
      <h2 id="job-stats-heading">Job stats</h2>
      {stats.isPending ? <p aria-busy="true">Loading job stats…</p> : null}
      <ErrorNote error={stats.error} />
      {stats.data ? <StatsBody stats={stats.data} /> : null}
    </article>
  );
}

function StatsBody({ stats }: { stats: JobStats }) {
  const table = statsTable(stats);
  return (
    <>
      <dl className="stat-tiles">
        <div>
          <dt>Oldest waiting job</dt>
          <dd data-testid="oldest-waiting">
            {stats.oldestQueuedAgeMs === null
              ? 'No job is waiting'
              : `waiting for ${formatDuration(stats.oldestQueuedAgeMs)}`}
          </dd>
        </div>
        <div>
          <dt>Retries scheduled</dt>
          <dd data-testid="retries-scheduled">{stats.retriesScheduled}</dd>
        </div>
        <div>
          <dt>Dead-lettered jobs</dt>
          <dd data-testid="dead-lettered">{stats.deadLettered}</dd>
        </div>
      </dl>
      {table.rows.length === 0 ? (
        <p>No jobs yet.</p>
      ) : (
        <div className="overflow-auto">
          <table className="striped">
            <caption>Jobs per kind and status</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                {table.statuses.map((status) => (
                  <th key={status} scope="col">
                    {statusLabel(status)}
                  </th>
                ))}
                <th scope="col">All</th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.kind}>
                  <th scope="row">{row.kind}</th>
                  {row.counts.map((count, index) => (
                    <Count key={table.statuses[index]} count={count} status={table.statuses[index]} />
                  ))}
                  <td>{row.total}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">All kinds</th>
                {table.totals.map((count, index) => (
                  <Count key={table.statuses[index]} count={count} status={table.statuses[index]} />
                ))}
                <td>{table.total}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}

function Count({ count, status }: { count: number; status: string | undefined }) {
  const attention = count > 0 && status !== undefined && ATTENTION_STATUSES.includes(status);
  return <td className={attention ? 'attention' : undefined}>{count}</td>;
}
