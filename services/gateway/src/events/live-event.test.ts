import { blueprintRunEvents, jobEvents } from '@delivery/contracts';
import { eventData, matchesFilter, toLiveEvent } from './live-event.js';

const succeeded = (result: unknown) =>
  jobEvents.succeeded.create({
    jobId: 'job-1',
    idempotencyKey: 'p-1:3_build:1',
    projectId: 'p-1',
    stage: '3_build',
    kind: 'build',
    attempt: 1,
    result,
  });

test('data is the envelope as published', () => {
  const envelope = succeeded({ files: 3 });
  expect(JSON.parse(eventData(envelope, 64 * 1024))).toEqual(envelope);
});

test('an envelope over the bound goes without its payload but for the project, marked truncated', () => {
  const envelope = succeeded({ manifest: 'x'.repeat(10_000) });
  const data = eventData(envelope, 1_000);
  expect(Buffer.byteLength(data)).toBeLessThan(1_000);
  const { payload, ...rest } = envelope;
  expect(JSON.parse(data)).toEqual({ ...rest, payload: { projectId: 'p-1' }, truncated: true });
});

test('the frame names the routing key and the position; filters match on the project', () => {
  const event = toLiveEvent(succeeded(null), 'abcdefabcdef-7', 7, 64 * 1024);
  expect(
    event.frame.startsWith(`id: abcdefabcdef-7\nevent: ${jobEvents.succeeded.routingKey}\ndata: {`),
  ).toBe(true);
  expect(event.bytes).toBe(Buffer.byteLength(event.frame));
  expect(matchesFilter({ projectId: 'p-1' }, event)).toBe(true);
  expect(matchesFilter({ projectId: 'p-2' }, event)).toBe(false);

  const run = blueprintRunEvents.started.create({
    runId: 'r-1',
    templateId: 't-1',
    templateVersion: 1,
    generator: 'rules',
    attempt: 1,
  });
  const runEvent = toLiveEvent(run, 'abcdefabcdef-8', 8, 64 * 1024);
  expect(runEvent.projectId).toBeUndefined();
  expect(matchesFilter({}, runEvent)).toBe(true);
  expect(matchesFilter({ projectId: 'p-1' }, runEvent)).toBe(false);
});
