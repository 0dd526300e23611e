import { useState } from 'react';
import { STAGE_LABELS } from '../../stage-labels';
import { ReadState } from './ErrorNotice';
import { formatTime, humanize } from './format';
import { useTimeline } from './project-queries';

/** The newest transitions shown at first; the rest on request (a finished project has dozens). */
const FIRST = 15;

/** Every stage transition and change of the project's facts, newest first: from → to, what triggered it, who, when. */
export function Timeline({ projectId }: { projectId: string }) {
  const timeline = useTimeline(projectId);
  const [all, setAll] = useState(false);
  const every = [...(timeline.data?.items ?? [])].reverse();
  const items = all ? every : every.slice(0, FIRST);
  return (
    <>
      <ReadState query={timeline} what="the timeline" />
      {timeline.data && every.length === 0 ? <p>Nothing has happened yet.</p> : null}
      {items.length > 0 ? (
        <div className="table-scroll">
          <table aria-label="Timeline">
            <thead>
              <tr>
                <th>Time</th>
                <th>Stage</th>
                <th>From → to</th>
                <th>Trigger</th>
                <th>Actor</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr
                  key={`${entry.at}:${entry.stage}:${entry.generation}:${entry.from}:${entry.to}:${entry.fact?.field ?? ''}`}
                >
                  <td>{formatTime(entry.at)}</td>
                  <td>
                    {STAGE_LABELS[entry.stage] ?? entry.stage} (generation {entry.generation})
                  </td>
                  <td>
                    {entry.fact
                      ? `${humanize(entry.fact.field)}: ${factValue(entry.fact.before)} → ${factValue(entry.fact.after)}`
                      : `${humanize(entry.from)} → ${humanize(entry.to)}`}
                  </td>
                  <td>{humanize(entry.trigger)}</td>
                  <td title={entry.correlationId}>{entry.actor ? entry.actor.name : 'system'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {every.length > items.length ? (
        <button type="button" className="secondary outline" onClick={() => setAll(true)}>
          Show all {every.length} transitions
        </button>
      ) : null}
    </>
  );
}

const factValue = (value: unknown) =>
  value === null || value === undefined
    ? 'none'
    : typeof value === 'boolean'
      ? value
        ? 'on'
        : 'off'
      : String(value);
