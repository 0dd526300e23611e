import { type Actor, jobEnqueueRefused, jobEvents } from '@delivery/contracts';
import { triggerOf } from './trigger-events.js';

/**
 * A job event moves a stage only when it is about a job the pipeline itself enqueued for that
 * stage generation, of the kind the stage runs: anything else (a job someone else enqueued under
 * a stage-shaped key, or another kind under the stage's key) is ignored, and the reason reported.
 */

const pipeline: Actor = { kind: 'service', id: 'pipeline', name: 'pipeline' };
const operator: Actor = { kind: 'user', id: 'u-olga', name: 'Olga' };

const succeeded = (overrides: Record<string, unknown> = {}) =>
  jobEvents.succeeded.create({
    jobId: 'job-1',
    idempotencyKey: 'p-1:3_build:1',
    projectId: 'p-1',
    stage: '3_build',
    kind: 'build',
    attempt: 1,
    result: { manifest: [] },
    enqueuedBy: pipeline,
    ...overrides,
  });

function ignoredWhy(event: ReturnType<typeof succeeded> | ReturnType<typeof jobEnqueueRefused.create>) {
  const reasons: string[] = [];
  const found = triggerOf(event, (why) => reasons.push(why));
  return { found, reasons };
}

test("the pipeline's own job of the stage's kind is a trigger of its stage generation", () => {
  expect(ignoredWhy(succeeded())).toEqual({
    found: {
      projectId: 'p-1',
      trigger: {
        type: 'job_succeeded',
        stage: '3_build',
        generation: 1,
        jobId: 'job-1',
        attempt: 1,
        result: { manifest: [] },
      },
    },
    reasons: [],
  });
  const queued = jobEvents.queued.create({
    jobId: 'job-2',
    idempotencyKey: 'p-1:4_test:12',
    projectId: 'p-1',
    stage: '4_test',
    kind: 'test',
    attempt: 0,
    runAt: '2026-03-02T09:00:00.000Z',
    enqueuedBy: pipeline,
  });
  expect(triggerOf(queued)?.trigger).toMatchObject({ type: 'job_queued', stage: '4_test', generation: 12 });
});

test.each([
  ['enqueued by an operator', { enqueuedBy: operator }, /not enqueued by the pipeline/],
  [
    'enqueued by another service',
    { enqueuedBy: { ...pipeline, id: 'hitl' } },
    /not enqueued by the pipeline/,
  ],
  [
    'enqueued by a user named like the pipeline',
    { enqueuedBy: { ...pipeline, kind: 'user' } },
    /not enqueued by the pipeline/,
  ],
  ['with nobody recorded as enqueuing it', { enqueuedBy: undefined }, /not enqueued by the pipeline/],
  ['of another kind than the stage runs', { kind: 'noop' }, /kind "noop".*runs "build"/],
  ["of another stage's kind", { kind: 'test' }, /kind "test".*runs "build"/],
  [
    'of a stage without a job',
    { stage: '2_assignment', idempotencyKey: 'p-1:2_assignment:1' },
    /kind "build".*2_assignment runs no job/,
  ],
])('a job event %s moves nothing and says why', (_what, overrides, reason) => {
  const { found, reasons } = ignoredWhy(succeeded(overrides));
  expect(found).toBeUndefined();
  expect(reasons).toEqual([expect.stringMatching(reason)]);
});

test.each([
  'p-1:3_build:1e0',
  'p-1:3_build:01',
  'p-1:3_build:+1',
  'p-1:3_build: 1',
  'p-1:3_build:0x1',
  'p-1:3_build:0',
  'p-2:3_build:1',
  'p-1:3_build:1:x',
])('a key that is not exactly one of its project\'s stage keys ("%s") is no stage job', (key) => {
  expect(triggerOf(succeeded({ idempotencyKey: key }))).toBeUndefined();
});

const refused = (overrides: Record<string, unknown> = {}) =>
  jobEnqueueRefused.create({
    commandId: 'cmd-1',
    projectId: 'p-1',
    stage: '4_test',
    kind: 'test',
    idempotencyKey: 'p-1:4_test:2',
    code: 'limits_exceeded',
    reason: 'the body at payload.reports has more than 10000 items',
    ...overrides,
  });

test("a refused enqueue of the stage's job is a job_refused trigger of its generation", () => {
  expect(ignoredWhy(refused())).toEqual({
    found: {
      projectId: 'p-1',
      trigger: {
        type: 'job_refused',
        stage: '4_test',
        generation: 2,
        code: 'limits_exceeded',
        reason: 'the body at payload.reports has more than 10000 items',
      },
    },
    reasons: [],
  });
  expect(triggerOf(refused({ idempotencyKey: 'someone-elses-key' }))).toBeUndefined();
  const { found, reasons } = ignoredWhy(refused({ kind: 'noop' }));
  expect(found).toBeUndefined();
  expect(reasons).toEqual([expect.stringMatching(/kind "noop".*runs "test"/)]);
});
