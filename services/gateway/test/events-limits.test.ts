import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { jobEvents } from '@delivery/contracts';
import { EventsEnv, type Replica, SseClient, waitFor } from './events-harness.js';

// What one identity, or all the slow clients together, may hold of a replica: real HTTP clients
// that open streams and stop reading.

let env: EventsEnv;
const sockets: Socket[] = [];

beforeAll(async () => {
  env = await EventsEnv.create();
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await env?.close();
});

const ready = (client: SseClient) => client.until((frame) => frame.event === 'ready', 'ready');

/** A client that sends its request and never reads: the kernel's buffers fill, then the gateway's. */
async function nonReadingClient(replica: Replica, headers = ''): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port: Number(new URL(replica.url).port) });
  sockets.push(socket);
  await once(socket, 'connect');
  socket.pause();
  socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n${headers}\r\n`);
  return socket;
}

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

test('one identity holds at most its number of streams: the next is 429, and closing one makes room', async () => {
  const replica = await env.replica({}, { maxStreamsPerIdentity: 3 });
  await nonReadingClient(replica);
  await nonReadingClient(replica);
  await waitFor(() => replica.hub.subscriberCount === 2, 10_000, 'two non-reading streams');
  const third = await SseClient.open(replica);
  await ready(third);

  const refused = await fetch(`${replica.url}/api/events`);
  expect(refused.status).toBe(429);
  expect(await refused.json()).toEqual({
    error: 'too_many_streams_for_identity',
    message: expect.stringContaining('3'),
    details: { limit: 3 },
  });
  expect(replica.hub.subscriberCount).toBe(3);

  third.close();
  await waitFor(() => replica.hub.subscriberCount === 2, 10_000, 'the closed stream gone');
  const again = await SseClient.open(replica);
  expect(again.response.status).toBe(200);
  await ready(again);
  again.close();
});

test('slow clients together hold at most the replica’s budget: the slowest are cut off, the others stream on', async () => {
  // Each stream alone may hold far more than this test ever publishes: only the budget for all
  // of them together can cut them off.
  const replica = await env.replica(
    {},
    { maxBufferedBytes: 512 * 1024 * 1024, maxTotalBufferedBytes: 256 * 1024 },
  );
  const fast = await SseClient.open(replica);
  await ready(fast);
  for (let i = 0; i < 3; i++) await nonReadingClient(replica);
  await waitFor(() => replica.hub.subscriberCount === 4, 10_000, 'three slow clients subscribed');

  let published = 0;
  while (replica.ends.filter((reason) => reason === 'slow_client').length < 3) {
    if (published >= 2_000) throw new Error(`slow clients were not cut off: ${replica.ends.join(', ')}`);
    await env.publish(...Array.from({ length: 20 }, (_, i) => large(published + i)));
    published += 20;
    await fast.untilEnvelopes(published);
  }
  expect(replica.ends).toEqual(['slow_client', 'slow_client', 'slow_client']);
  expect(replica.hub.subscriberCount).toBe(1);

  const after = large(published);
  await env.publish(after);
  await fast.untilEnvelopes(published + 1);
  expect(fast.envelopes.at(-1)?.id).toBe(after.id);
  fast.close();
});
