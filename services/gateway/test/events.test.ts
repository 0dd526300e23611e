import { blueprintRunEvents, jobEvents, projectStageChanged } from '@delivery/contracts';
import { EventsEnv, type Replica, SseClient, stageChange, waitFor } from './events-harness.js';

let env: EventsEnv;
let replica: Replica;

beforeAll(async () => {
  env = await EventsEnv.create();
  replica = await env.replica({}, { keepAliveMs: 100 });
});

afterAll(async () => {
  await env?.close();
});

/** Waits until the replica's hub has received events up to `envelopes` (its head moved past them). */
const headAfter = async (count: number, from: string) => {
  const [epoch, seq] = from.split('-') as [string, string];
  const target = `${epoch}-${Number(seq) + count}`;
  await waitFor(() => replica.hub.stats().headId === target, 10_000, `hub head ${target}`);
};

test("a project's stage changes arrive in the order they were published, as the published envelopes", async () => {
  const client = await SseClient.open(replica);
  expect(client.response.status).toBe(200);
  expect(client.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  expect(client.response.headers.get('cache-control')).toBe('no-cache, no-transform');
  expect(client.response.headers.get('x-accel-buffering')).toBe('no');
  await client.until((frame) => frame.event === 'ready', 'ready');

  const changes = Array.from({ length: 20 }, (_, n) => stageChange('p-order', n));
  await env.publish(...changes);
  await client.untilEnvelopes(20);

  const received = client.envelopes;
  expect(received.map(({ sseId: _, sseEvent: __, ...envelope }) => envelope)).toEqual(changes);
  expect(received.every((event) => event.sseEvent === projectStageChanged.routingKey)).toBe(true);
  const seqs = received.map((event) => Number(event.sseId.split('-')[1]));
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(20);
  client.close();
});

test("the projectId filter passes that project's events only; without it everything visible comes", async () => {
  const mine = await SseClient.open(replica, '?projectId=p-mine');
  const all = await SseClient.open(replica);
  await Promise.all([mine, all].map((client) => client.until((frame) => frame.event === 'ready', 'ready')));

  const run = blueprintRunEvents.queued.create({
    runId: 'run-1',
    templateId: 'tpl-1',
    templateVersion: 1,
    generator: 'rules',
    attempt: 0,
  });
  const job = jobEvents.started.create({
    jobId: 'job-1',
    idempotencyKey: 'p-mine:3_build:1',
    projectId: 'p-mine',
    stage: '3_build',
    kind: 'build',
    attempt: 1,
    workerId: 'w-1',
  });
  const published = [
    stageChange('p-other', 1),
    stageChange('p-mine', 1),
    run,
    job,
    stageChange('p-other', 2),
    stageChange('p-mine', 2),
  ];
  await env.publish(...published);

  await all.untilEnvelopes(published.length);
  await mine.until(
    (frame) => frame.data?.includes('"change-2"') === true && frame.data.includes('p-mine'),
    'last of mine',
  );
  expect(mine.envelopes.map((event) => event.id)).toEqual([published[1]?.id, job.id, published[5]?.id]);
  expect(all.envelopes.map((event) => event.id)).toEqual(published.map((event) => event.id));
  mine.close();
  all.close();
});

test('a client reconnecting with Last-Event-ID gets exactly what it missed, in order, then live events', async () => {
  const first = await SseClient.open(replica, '?projectId=p-resume');
  const ready = await first.until((frame) => frame.event === 'ready', 'ready');
  await env.publish(stageChange('p-resume', 1), stageChange('p-resume', 2));
  await first.untilEnvelopes(2);
  const lastSeen = first.envelopes[1]?.sseId as string;
  first.close();

  const missed = [stageChange('p-resume', 3), stageChange('p-elsewhere', 1), stageChange('p-resume', 4)];
  await env.publish(...missed);
  await headAfter(3, lastSeen);

  const resumed = await SseClient.open(replica, '?projectId=p-resume', { 'last-event-id': lastSeen });
  const resumedReady = await resumed.until((frame) => frame.event === 'ready', 'ready after replay');
  const live = stageChange('p-resume', 5);
  await env.publish(live);
  await resumed.untilEnvelopes(3);

  expect(resumed.events.map((frame) => frame.event)).toEqual([
    projectStageChanged.routingKey,
    projectStageChanged.routingKey,
    'ready',
    projectStageChanged.routingKey,
  ]);
  expect(resumed.envelopes.map((event) => event.id)).toEqual([missed[0]?.id, missed[2]?.id, live.id]);
  expect(JSON.parse(resumedReady.data ?? '{}')).toEqual({ replayed: 2 });
  expect(resumedReady.id).not.toBe(ready.id);
  resumed.close();

  // The query parameter does the same for clients that cannot set the header.
  const byQuery = await SseClient.open(replica, `?projectId=p-resume&lastEventId=${lastSeen}`);
  await byQuery.until((frame) => frame.event === 'ready', 'ready after replay');
  expect(byQuery.envelopes.map((event) => event.id)).toEqual([missed[0]?.id, missed[2]?.id, live.id]);
  byQuery.close();
});

test('an id it cannot resume from (another epoch, malformed, ahead, expired) gets a resync, then live events', async () => {
  const small = await env.replica({ bufferEvents: 3 });
  const watcher = await SseClient.open(small);
  const { id: head } = await watcher.until((frame) => frame.event === 'ready', 'ready');
  const [epoch] = (head as string).split('-') as [string];
  await env.publish(...[1, 2, 3, 4, 5].map((n) => stageChange('p-resync', n)));
  await watcher.untilEnvelopes(5);
  const expired = watcher.envelopes[0]?.sseId as string;
  const newest = watcher.envelopes[4]?.sseId as string;

  const cases = {
    other_epoch: '0123456789ab-4',
    unknown_id: 'not-an-id-of-ours',
    too_old: expired,
  };
  for (const [reason, lastEventId] of Object.entries(cases)) {
    const client = await SseClient.open(small, '', { 'last-event-id': lastEventId });
    const resync = await client.until((frame) => frame.event === 'resync', `resync for ${reason}`);
    expect({ reason: JSON.parse(resync.data ?? '{}').reason, id: resync.id }).toEqual({ reason, id: newest });
    client.close();
  }
  const ahead = await SseClient.open(small, '', { 'last-event-id': `${epoch}-99` });
  const resync = await ahead.until((frame) => frame.event === 'resync', 'resync for an id ahead');
  expect(JSON.parse(resync.data ?? '{}')).toEqual({ reason: 'unknown_id' });

  const live = stageChange('p-resync', 6);
  await env.publish(live);
  await ahead.untilEnvelopes(1);
  expect(ahead.envelopes.map((event) => event.id)).toEqual([live.id]);
  expect(ahead.events.map((frame) => frame.event)).toEqual(['resync', projectStageChanged.routingKey]);
  ahead.close();
  watcher.close();
});

test('more missed than a client may have buffered is a resync, not a replay', async () => {
  const tight = await env.replica({}, { maxBufferedBytes: 2_000 });
  const watcher = await SseClient.open(tight);
  const { id: head } = await watcher.until((frame) => frame.event === 'ready', 'ready');
  await env.publish(...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => stageChange('p-many', n)));
  await watcher.untilEnvelopes(8);

  const behind = await SseClient.open(tight, '', { 'last-event-id': head as string });
  const resync = await behind.until((frame) => frame.event === 'resync', 'resync');
  expect(JSON.parse(resync.data ?? '{}')).toEqual({ reason: 'too_much_to_replay' });
  expect(behind.envelopes).toEqual([]);
  behind.close();
  watcher.close();
});

test('an idle stream gets keep-alive comments', async () => {
  const client = await SseClient.open(replica);
  await waitFor(
    () => client.frames.filter((frame) => frame.comment === 'keep-alive').length >= 2,
    10_000,
    'two keep-alives',
  );
  client.close();
});

test('bad input is refused with 400 naming the field, before any stream opens', async () => {
  const cases: [string, Record<string, string>, string][] = [
    ['?projectId=', {}, 'projectId'],
    ['?projectId=a&projectId=b', {}, 'projectId'],
    [`?projectId=${'p'.repeat(201)}`, {}, 'projectId'],
    [`?lastEventId=${'x'.repeat(201)}`, {}, 'lastEventId'],
    ['', { 'last-event-id': 'x'.repeat(201) }, 'last-event-id'],
  ];
  for (const [query, headers, path] of cases) {
    const response = await fetch(`${replica.url}/api/events${query}`, { headers });
    expect({ query, status: response.status }).toEqual({ query, status: 400 });
    const body = (await response.json()) as { issues: { path: string }[] };
    expect(body.issues.map((issue) => issue.path)).toEqual([path]);
  }
});

test('malformed messages on the bound routing keys are dropped and the stream goes on', async () => {
  const client = await SseClient.open(replica, '?projectId=p-malformed');
  await client.until((frame) => frame.event === 'ready', 'ready');
  const droppedBefore = replica.hub.stats().dropped;

  await env.publishRaw(projectStageChanged.routingKey, '{not json');
  const wrong = { ...stageChange('p-malformed', 1), payload: { projectId: 'p-malformed', stage: 'nowhere' } };
  await env.publishRaw(projectStageChanged.routingKey, JSON.stringify(wrong));
  const valid = stageChange('p-malformed', 2);
  await env.publish(valid);

  await client.untilEnvelopes(1);
  expect(client.envelopes.map((event) => event.id)).toEqual([valid.id]);
  await waitFor(() => replica.hub.stats().dropped === droppedBefore + 2, 10_000, 'two dropped');
  client.close();
});
