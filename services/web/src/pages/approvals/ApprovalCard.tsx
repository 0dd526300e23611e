import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { Link } from 'react-router';
import type { Approval } from '../../api/answers';
import { ApiError, api } from '../../api/client';
import {
  contextEntries,
  decisionErrorText,
  GATE_POINT_LABELS,
  responsibleEntries,
  sendBackProblem,
  timeLeft,
  titleOf,
  votesProgress,
} from './approval-view';

type Decision = 'approve' | 'send-back';

/** One approval in the inbox: what it is about, the votes so far, and the two decisions. */
export function ApprovalCard({
  approval,
  now,
  onDecided,
}: {
  approval: Approval;
  now: number;
  onDecided: (message: string) => void;
}) {
  const id = useId();
  const client = useQueryClient();
  const [comment, setComment] = useState('');
  const [commentProblem, setCommentProblem] = useState<string>();
  const title = titleOf(approval);

  const decide = useMutation({
    mutationFn: (decision: Decision) => {
      const params = { id: approval.id };
      const text = comment.trim();
      return decision === 'approve'
        ? api('POST /api/approvals/:id/approve', { params, body: text ? { comment: text } : {} })
        : api('POST /api/approvals/:id/send-back', { params, body: { comment: text } });
    },
    onSuccess: async (decided, decision) => {
      onDecided(
        decision === 'send-back'
          ? `You sent back ${title}.`
          : decided.status === 'granted'
            ? `You approved ${title}: granted.`
            : `You approved ${title}: ${votesProgress(decided)}.`,
      );
      await Promise.all([
        client.invalidateQueries({ queryKey: ['approvals'] }),
        client.invalidateQueries({ queryKey: ['project', approval.projectId] }),
        client.invalidateQueries({ queryKey: ['projects'] }),
      ]);
    },
  });

  const submit = (decision: Decision) => {
    const problem = decision === 'send-back' ? sendBackProblem(comment) : undefined;
    setCommentProblem(problem);
    if (!problem) decide.mutate(decision);
  };
  const apiCommentProblem =
    decide.error instanceof ApiError ? decide.error.fieldMessage('comment') : undefined;
  const shownCommentProblem = commentProblem ?? apiCommentProblem;
  const left = timeLeft(approval.expiresAt, now);
  const responsible = responsibleEntries(approval);

  return (
    <article aria-labelledby={`${id}-title`} data-approval={approval.id}>
      <header>
        <h3 id={`${id}-title`}>{title}</h3>
        <small>
          {GATE_POINT_LABELS[approval.point]} · generation {approval.generation}
          {approval.attempt > 1 ? ` · asked again (attempt ${approval.attempt})` : ''}
        </small>
      </header>
      <dl className="approval-facts">
        <Fact label="Expires">
          <time dateTime={approval.expiresAt} title={new Date(approval.expiresAt).toLocaleString()}>
            {left}
          </time>
        </Fact>
        <Fact label="Requested by">
          {approval.requestedBy.name}{' '}
          <time dateTime={approval.requestedAt}>{new Date(approval.requestedAt).toLocaleString()}</time>
        </Fact>
        {responsible.length > 0 ? (
          <Fact label="Whose work">
            <ul className="responsible-people">
              {responsible.map((person) => (
                <li key={person.id}>{person.text}</li>
              ))}
            </ul>
          </Fact>
        ) : null}
        <Fact label="Approvers">
          {approval.gate.approverRoles.join(', ')} · {votesProgress(approval)}
        </Fact>
        {contextEntries(approval.context).map(([label, value]) => (
          <Fact key={label} label={label}>
            {value}
          </Fact>
        ))}
      </dl>
      <p>
        <Link to={`/projects/${approval.projectId}`}>Open project</Link>
      </p>
      <section aria-label="Votes so far">
        <h4>Votes so far</h4>
        {approval.votes.length === 0 && !approval.sentBack ? <p>No votes yet.</p> : null}
        <ul>
          {approval.votes.map((vote) => (
            <li key={`${vote.by.kind}:${vote.by.id}`}>
              <strong>{vote.by.name}</strong> approved{' '}
              <time dateTime={vote.at}>{new Date(vote.at).toLocaleString()}</time>
              {vote.comment ? <>: “{vote.comment}”</> : null}
            </li>
          ))}
          {approval.sentBack ? (
            <li>
              <strong>{approval.sentBack.by.name}</strong> sent back: “{approval.sentBack.comment}”
            </li>
          ) : null}
        </ul>
      </section>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit('approve');
        }}
        aria-busy={decide.isPending}
      >
        <label>
          Comment (optional to approve, required to send back)
          <textarea
            value={comment}
            rows={2}
            maxLength={2000}
            aria-invalid={shownCommentProblem ? true : undefined}
            aria-describedby={shownCommentProblem ? `${id}-comment-error` : undefined}
            onChange={(event) => {
              setComment(event.target.value);
              setCommentProblem(undefined);
            }}
          />
        </label>
        {shownCommentProblem ? (
          <small id={`${id}-comment-error`} role="alert" className="error">
            {shownCommentProblem}
          </small>
        ) : null}
        {decide.isError && !apiCommentProblem ? (
          <p role="alert" className="error">
            {decisionErrorText(decide.error)}
          </p>
        ) : null}
        <div className="button-row">
          <button type="submit" disabled={decide.isPending}>
            Approve
          </button>
          <button
            type="button"
            className="secondary"
            disabled={decide.isPending}
            onClick={() => submit('send-back')}
          >
            Send back
          </button>
        </div>
      </form>
    </article>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
