import { projectStageChanged } from '@delivery/contracts';
import { closeConnectionsNamed } from '@delivery/testing';
import { EventsEnv, SseClient, stageChange, waitFor } from './events-harness.js';

let env: EventsEnv;

beforeAll(async () => {
  env = await EventsEnv.create();
});

afterAll(async () => {
  await env?.close();
});

test('a replica that lost its broker link tells its clients to refetch, then streams on in a new epoch', async () => {
  const replica = await env.replica();
  const client = await SseClient.open(replica);
  await client.until((frame) => frame.event === 'ready', 'ready');
  await env.publish(stageChange('p-gap', 1));
  await client.untilEnvelopes(1);
  const beforeGap = client.envelopes[0]?.sseId as string;

  expect(await closeConnectionsNamed(replica.connectionName)).toBe(1);
  const resync = await client.until((frame) => frame.event === 'resync', 'resync after the gap', 30_000);
  expect(JSON.parse(resync.data ?? '{}')).toEqual({ reason: 'missed_events' });
  expect(resync.id?.split('-')[0]).not.toBe(beforeGap.split('-')[0]);
  expect(replica.hub.stats().gaps).toBe(1);

  const after = stageChange('p-gap', 2);
  await env.publish(after);
  await client.untilEnvelopes(2);
  expect(client.envelopes[1]?.id).toBe(after.id);
  expect(client.events.map((frame) => frame.event)).toEqual([
    'ready',
    projectStageChanged.routingKey,
    'resync',
    projectStageChanged.routingKey,
  ]);

  // An id from before the gap can no longer be resumed from.
  const late = await SseClient.open(replica, '', { 'last-event-id': beforeGap });
  const lateResync = await late.until((frame) => frame.event === 'resync', 'resync for an id before the gap');
  expect(JSON.parse(lateResync.data ?? '{}')).toEqual({ reason: 'other_epoch' });
  await waitFor(() => replica.hub.subscriberCount === 2, 5_000, 'both subscribed');
  client.close();
  late.close();
});
