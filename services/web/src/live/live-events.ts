import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

/** Which cached queries an event makes stale: the app refetches them instead of patching state. */
export function staleKeysOf(routingKey: string, payload: { projectId?: string }): unknown[][] {
  const project = payload.projectId ? [['project', payload.projectId]] : [];
  if (routingKey.startsWith('pipeline.project.')) return [['projects'], ...project];
  if (routingKey.startsWith('jobs.job.')) return [['projects'], ['jobs'], ...project];
  if (routingKey.startsWith('hitl.')) return [['approvals'], ['projects'], ...project];
  if (routingKey.startsWith('blueprints.run.')) return [['templates'], ['blueprint-runs']];
  return [];
}

const ROUTING_KEYS = [
  'pipeline.project.stage_changed.v1',
  'pipeline.project.completed.v1',
  'jobs.job.queued.v1',
  'jobs.job.started.v1',
  'jobs.job.succeeded.v1',
  'jobs.job.failed.v1',
  'jobs.job.needs_human.v1',
  'jobs.job.retry_scheduled.v1',
  'jobs.job.canceled.v1',
  'hitl.approval.requested.v1',
  'hitl.approval.vote_recorded.v1',
  'hitl.approval.granted.v1',
  'hitl.approval.sent_back.v1',
  'hitl.approval.expired.v1',
  'hitl.approval.superseded.v1',
  'hitl.approval.withdrawn.v1',
  'hitl.gate.passed.v1',
  'blueprints.run.queued.v1',
  'blueprints.run.started.v1',
  'blueprints.run.succeeded.v1',
  'blueprints.run.failed.v1',
  'blueprints.run.canceled.v1',
];

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * Keeps the app live: one EventSource on /api/events (the session cookie goes along); each event
 * marks the queries it touches stale, and a `resync` (events missed) refetches everything.
 */
export function useLiveEvents(): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    const source = new EventSource('/api/events');
    const onEvent = (event: MessageEvent<string>) => {
      const envelope = JSON.parse(event.data) as { payload?: { projectId?: string } };
      for (const queryKey of staleKeysOf(event.type, envelope.payload ?? {})) {
        void client.invalidateQueries({ queryKey });
      }
    };
    for (const key of ROUTING_KEYS) source.addEventListener(key, onEvent);
    source.addEventListener('ready', () => setState('live'));
    source.addEventListener('resync', () => {
      setState('live');
      void client.invalidateQueries();
    });
    source.onerror = () => setState('reconnecting');
    return () => source.close();
  }, [client]);
  return state;
}
