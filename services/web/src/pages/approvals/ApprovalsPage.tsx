import './approvals.css';
import { STAGES } from '@delivery/contracts/stages';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import { STAGE_LABELS } from '../../stage-labels';
import { ApprovalCard } from './ApprovalCard';
import { inboxQueryOf } from './approval-view';
import { useNow } from './use-now';

/**
 * The approver's inbox: pending approvals the signed-in person may still decide, newest first.
 * Live: when someone else decides, the events refetch ['approvals'] and a decided one leaves.
 */
export function ApprovalsPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const [decided, setDecided] = useState<string>();
  const now = useNow(30_000);
  const filters = inboxQueryOf(params);
  const inbox = useInfiniteQuery({
    queryKey: ['approvals', 'inbox', filters],
    queryFn: ({ pageParam }) =>
      api('GET /api/approvals', { query: inboxQueryOf(params, pageParam || undefined) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const approvals = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const projectId = params.get('projectId');

  return (
    <>
      <h1>Approvals</h1>
      <form className="approvals-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Stage
          <select value={params.get('stage') ?? ''} onChange={(event) => set('stage', event.target.value)}>
            <option value="">any</option>
            {STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {STAGE_LABELS[stage]}
              </option>
            ))}
          </select>
        </label>
        <label>
          As role
          <select value={params.get('role') ?? ''} onChange={(event) => set('role', event.target.value)}>
            <option value="">any of mine</option>
            {session.roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
      </form>
      {projectId ? (
        <p>
          Only project <code>{projectId}</code>.{' '}
          <button type="button" className="outline secondary" onClick={() => set('projectId', '')}>
            Show every project
          </button>
        </p>
      ) : null}
      {decided ? <p role="status">{decided}</p> : null}
      {inbox.isPending ? <p aria-busy="true">Loading approvals…</p> : null}
      {inbox.isError ? <p role="alert">{inbox.error.message}</p> : null}
      {inbox.isSuccess && approvals.length === 0 ? <p>Nothing waits for your decision.</p> : null}
      {approvals.map((approval) => (
        <ApprovalCard key={approval.id} approval={approval} now={now} onDecided={setDecided} />
      ))}
      {inbox.hasNextPage ? (
        <button
          type="button"
          className="outline"
          aria-busy={inbox.isFetchingNextPage}
          disabled={inbox.isFetchingNextPage}
          onClick={() => void inbox.fetchNextPage()}
        >
          Load more approvals
        </button>
      ) : null}
    </>
  );
}
