import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DeadLetter, DeadLetterQueueReport } from '../../api/answers';
import { api } from '../../api/client';
import {
  canReplayAll,
  type DeadLetterService,
  inspectText,
  queueSummary,
  type ReplaySelection,
  replayedText,
  replayKeyOf,
} from './dead-letters';
import { ErrorNote } from './ErrorNote';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * One queue with its oldest messages. One replay at a time per queue, and its outcome is shown
 * on the queue, not the row: a replayed message leaves the list when it is read again.
 */
export function DeadLetterQueue({
  service,
  report,
}: {
  service: DeadLetterService;
  report: DeadLetterQueueReport;
}) {
  const client = useQueryClient();
  const replay = useMutation({
    mutationFn: (selection: ReplaySelection) =>
      api(replayKeyOf(service), { params: { queue: report.queue }, body: selection }),
    // Replayed messages left the queue (and may have moved jobs); a failed one may have too.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['dead-letters', service] }),
        client.invalidateQueries({ queryKey: ['jobs'] }),
      ]),
  });
  const [confirming, setConfirming] = useState(false);
  const replaying = (message: DeadLetter) =>
    replay.isPending && replay.variables !== undefined && 'id' in replay.variables
      ? replay.variables.id === message.id
      : false;
  const replayingAll = replay.isPending && replay.variables !== undefined && 'all' in replay.variables;

  return (
    <article aria-label={report.queue} data-queue={report.queue}>
      <header>
        <h3>{report.queue}</h3>
        <p className={report.count === null ? 'error' : undefined}>{queueSummary(report)}</p>
        {canReplayAll(report) && !confirming ? (
          <button
            type="button"
            className="secondary"
            aria-busy={replayingAll}
            disabled={replay.isPending}
            onClick={() => setConfirming(true)}
          >
            Replay all
          </button>
        ) : null}
        {confirming ? (
          <div className="confirm">
            <p>
              Send all {report.count} messages of {report.queue} back to the queue they failed in?
            </p>
            <button
              type="button"
              className="contrast"
              onClick={() => {
                setConfirming(false);
                replay.mutate({ all: true });
              }}
            >
              Yes, replay all
            </button>{' '}
            <button type="button" className="secondary outline" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : null}
        {replayingAll ? <progress aria-label="Replaying all messages" /> : null}
        {replay.isSuccess ? <p role="status">{replayedText(replay.data)}</p> : null}
        <ErrorNote error={replay.error} />
      </header>
      {report.messages.length > 0 ? (
        <div className="overflow-auto">
          <table>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col">Routing key</th>
                <th scope="col">Type</th>
                <th scope="col">Last failed</th>
                <th scope="col">Message</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {report.messages.map((message) => (
                <tr key={message.id} data-message-id={message.id}>
                  <td className="job-detail">{message.reason}</td>
                  <td>
                    <code>{message.originalRoutingKey}</code>
                  </td>
                  <td>{message.type ?? '—'}</td>
                  <td>{time(message.lastFailureAt)}</td>
                  <td>
                    <details>
                      <summary>Inspect</summary>
                      <pre>{inspectText(message)}</pre>
                    </details>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="outline"
                      aria-busy={replaying(message)}
                      disabled={replay.isPending}
                      onClick={() => replay.mutate({ id: message.id })}
                    >
                      Replay
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </article>
  );
}
