import { once } from 'node:events';
import { connect } from 'node:net';
import { jobEvents } from '@delivery/contracts';
import { EventsEnv, SseClient, stageChange, waitFor } from './events-harness.js';

let env: EventsEnv;

beforeAll(async () => {
  env = await EventsEnv.create();
});

afterAll(async () => {
  await env?.close();
});

const ready = (client: SseClient) => client.until((frame) => frame.event === 'ready', 'ready');

test('two replicas on one broker each stream every event through a queue of their own', async () => {
  const [first, second] = [await env.replica(), await env.replica()];
  const [onFirst, onSecond] = [await SseClient.open(first), await SseClient.open(second)];
  await Promise.all([ready(onFirst), ready(onSecond)]);

  const changes = [1, 2, 3, 4, 5].map((n) => stageChange('p-replicas', n));
  await env.publish(...changes);
  await Promise.all([onFirst.untilEnvelopes(5), onSecond.untilEnvelopes(5)]);
  expect(onFirst.envelopes.map((event) => event.id)).toEqual(changes.map((event) => event.id));
  expect(onSecond.envelopes.map((event) => event.id)).toEqual(changes.map((event) => event.id));

  // Each replica numbers its own stream: an id from one is no position in the other.
  const idOnFirst = onFirst.envelopes[4]?.sseId as string;
  const moved = await SseClient.open(second, '', { 'last-event-id': idOnFirst });
  const resync = await moved.until((frame) => frame.event === 'resync', 'resync on the other replica');
  expect(JSON.parse(resync.data ?? '{}')).toEqual({ reason: 'other_epoch' });
  for (const client of [onFirst, onSecond, moved]) client.close();
});

test('a client that stops reading is cut off once past the bound, while the others keep receiving', async () => {
  const replica = await env.replica({}, { maxBufferedBytes: 64 * 1024 });
  const fast = await SseClient.open(replica);
  await ready(fast);

  // A client that sends its request and never reads: the kernel's buffers fill, then ours.
  const slow = connect({ host: '127.0.0.1', port: Number(new URL(replica.url).port) });
  await once(slow, 'connect');
  slow.pause();
  slow.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
  await waitFor(() => replica.hub.subscriberCount === 2, 10_000, 'slow client subscribed');

  const large = (n: number) =>
    jobEvents.succeeded.create({
      jobId: `job-${n}`,
      idempotencyKey: `p-flood:3_build:${n}`,
      projectId: 'p-flood',
      stage: '3_build',
      kind: 'build',
      attempt: 1,
      result: { manifest: 'x'.repeat(32_000) },
    });
  let published = 0;
  while (!replica.ends.includes('slow_client')) {
    // Loopback buffers hold a few MB; 64 MB unread would mean nothing bounds the stream.
    if (published >= 2_000) throw new Error('the client that does not read was never cut off');
    await env.publish(...Array.from({ length: 20 }, (_, i) => large(published + i)));
    published += 20;
    await fast.untilEnvelopes(published);
  }
  expect(replica.ends).toEqual(['slow_client']);
  expect(replica.hub.subscriberCount).toBe(1);

  const after = large(published);
  await env.publish(after);
  await fast.untilEnvelopes(published + 1);
  expect(fast.envelopes.map((event) => event.id).at(-1)).toBe(after.id);
  expect(fast.envelopes).toHaveLength(published + 1);

  // Reading now, the slow client finds its stream ended, short of what the fast one got.
  let bytes = 0;
  slow.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  slow.resume();
  await once(slow, 'close');
  const fastBytes = fast.envelopes.length * 32_000;
  expect(bytes).toBeLessThan(fastBytes);
  fast.close();
});

test('close() ends every stream cleanly and refuses new ones', async () => {
  const replica = await env.replica();
  const clients = [await SseClient.open(replica), await SseClient.open(replica, '?projectId=p-close')];
  await Promise.all(clients.map(ready));

  await replica.hub.close();
  expect(await Promise.all(clients.map((client) => client.ended))).toEqual(['done', 'done']);
  expect(replica.ends).toEqual(['server_closing', 'server_closing']);

  const refused = await fetch(`${replica.url}/api/events`);
  expect(refused.status).toBe(503);
  expect(await refused.json()).toMatchObject({ error: 'shutting_down' });
});

test('a stream ends cleanly at its maximum duration and its client resumes where it was', async () => {
  const replica = await env.replica({}, { maxStreamMs: 300 });
  const first = await SseClient.open(replica, '?projectId=p-expiry');
  const { id: position } = await ready(first);
  expect(await first.ended).toBe('done');
  expect(replica.ends).toEqual(['max_duration']);

  const missed = stageChange('p-expiry', 1);
  await env.publish(missed);
  await waitFor(() => replica.hub.stats().headId.endsWith('-1'), 10_000, 'hub received the missed event');
  const resumed = await SseClient.open(replica, '?projectId=p-expiry', {
    'last-event-id': position as string,
  });
  await ready(resumed);
  expect(resumed.envelopes.map((event) => event.id)).toEqual([missed.id]);
  resumed.close();
});
