import { projectStageChanged, STAGES } from '@delivery/contracts';
import { EventLog, type EventLogBounds } from './event-log.js';

const change = (projectId: string, n: number) =>
  projectStageChanged.create({
    projectId,
    stage: STAGES[n % STAGES.length] as (typeof STAGES)[number],
    generation: 1,
    from: 'ready',
    to: 'running',
    trigger: `change-${n}`,
    actor: null,
  });

const bounds = (overrides: Partial<EventLogBounds> = {}): EventLogBounds => ({
  maxEvents: 100,
  maxBytes: 1_000_000,
  maxEventBytes: 64 * 1024,
  ...overrides,
});

let epochs = 0;
const drawEpoch = () => `${(++epochs).toString(16).padStart(12, '0')}`;

test('ids increase within an epoch, starting after the head a new client was given', () => {
  const log = new EventLog(bounds(), drawEpoch);
  const head = log.headId;
  expect(head).toMatch(/^[0-9a-f]{12}-0$/);
  const ids = [1, 2, 3].map((n) => log.append(change('p', n))?.id);
  expect(ids).toEqual([1, 2, 3].map((seq) => head.replace(/-0$/, `-${seq}`)));
  expect(log.headId).toBe(ids[2]);
});

test('resuming replays what came after the id, in order and filtered; at the head, nothing', () => {
  const log = new EventLog(bounds(), drawEpoch);
  const events = ['a', 'b', 'a', 'a'].map((project, n) => log.append(change(project, n)));
  expect(log.resume(events[0]?.id as string, {}, 1e9)).toEqual({ kind: 'replay', events: events.slice(1) });
  expect(log.resume(events[0]?.id as string, { projectId: 'a' }, 1e9)).toEqual({
    kind: 'replay',
    events: [events[2], events[3]],
  });
  expect(log.resume(log.headId, {}, 1e9)).toEqual({ kind: 'replay', events: [] });
});

test('an id the log cannot resume from says why', () => {
  const log = new EventLog(bounds({ maxEvents: 2 }), drawEpoch);
  const start = log.headId;
  const first = log.append(change('p', 1))?.id as string;
  const second = log.append(change('p', 2))?.id as string;
  log.append(change('p', 3));
  const epoch = first.split('-')[0];
  // Event 1 was evicted: a client that saw none of them missed it; one that saw it missed none evicted.
  expect(log.resume(start, {}, 1e9)).toEqual({ kind: 'resync', reason: 'too_old' });
  expect(log.resume(first, {}, 1e9)).toMatchObject({ kind: 'replay', events: [{ seq: 2 }, { seq: 3 }] });
  expect(log.resume(`${epoch}-4`, {}, 1e9)).toEqual({ kind: 'resync', reason: 'unknown_id' });
  expect(log.resume('ffffffffffff-1', {}, 1e9)).toEqual({ kind: 'resync', reason: 'other_epoch' });
  expect(log.resume('last', {}, 1e9)).toEqual({ kind: 'resync', reason: 'unknown_id' });
  expect(log.resume(second, {}, 10)).toEqual({ kind: 'resync', reason: 'too_much_to_replay' });
});

test('the buffer is bounded by bytes too, keeping at least the newest event', () => {
  const log = new EventLog(bounds({ maxBytes: 1 }), drawEpoch);
  log.append(change('p', 1));
  const newest = log.append(change('p', 2));
  expect(log.size).toEqual({ events: 1, bytes: newest?.bytes });
});

test('the same envelope delivered again is not streamed twice while buffered', () => {
  const log = new EventLog(bounds(), drawEpoch);
  const envelope = change('p', 1);
  expect(log.append(envelope)).toBeDefined();
  expect(log.append(envelope)).toBeUndefined();
  expect(log.size.events).toBe(1);
});

test('a restart starts a new epoch: ids from before are from another epoch', () => {
  const log = new EventLog(bounds(), drawEpoch);
  const before = log.append(change('p', 1))?.id as string;
  log.restart();
  expect(log.size).toEqual({ events: 0, bytes: 0 });
  expect(log.headId).toMatch(/-0$/);
  expect(log.resume(before, {}, 1e9)).toEqual({ kind: 'resync', reason: 'other_epoch' });
});
