import { checkKeyOwner, takenFromPipeline } from './stage-key-owner.js';

const pipeline = { kind: 'service', id: 'pipeline', name: 'pipeline' } as const;
const operator = { kind: 'user', id: 'u-1', name: 'Olga' } as const;

test('a stage-shaped key is for the pipeline service alone', () => {
  expect(() => checkKeyOwner('p-1:3_build:1', pipeline)).not.toThrow();
  expect(() => checkKeyOwner('p-1:3_build:1', operator)).toThrow(/only the pipeline enqueues those/);
  expect(() => checkKeyOwner('p-1:3_build:1', { ...pipeline, kind: 'user' })).toThrow(/only the pipeline/);
  expect(() => checkKeyOwner('p-1:3_build:1', { ...pipeline, id: 'hitl' })).toThrow(/only the pipeline/);
});

test('any other key is for anyone who may enqueue', () => {
  expect(() => checkKeyOwner('nightly-report', operator)).not.toThrow();
  expect(() => checkKeyOwner('p-1:3_build', operator)).not.toThrow();
});

test("a stage job someone else enqueued (before keys were reserved) is not the pipeline's", () => {
  expect(takenFromPipeline('p-1:3_build:1', pipeline)).toBe(false);
  expect(takenFromPipeline('p-1:3_build:1', operator)).toBe(true);
  expect(takenFromPipeline('p-1:3_build:1', undefined)).toBe(true);
  expect(takenFromPipeline('nightly-report', undefined)).toBe(false);
});
