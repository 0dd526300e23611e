import { LIVE_ROUTING_KEYS } from '@delivery/contracts/live-events';
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

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * Keeps the app live: one EventSource on /api/events (the session cookie goes along); each event
 * marks the queries it touches stale, and a `resync` (events missed) refetches everything. It
 * listens for every event the gateway streams (the contracts' LIVE_ROUTING_KEYS, the list the
 * gateway binds to), so an event the gateway starts streaming reaches the app unasked.
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
    for (const key of LIVE_ROUTING_KEYS) source.addEventListener(key, onEvent);
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
