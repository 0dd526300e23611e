import { isStageJobOwner, isStageShapedKey, parseStageJobKey } from './stage-job-keys.js';

test('a stage job key reads back as the stage generation it was written for, and nothing else does', () => {
  expect(parseStageJobKey('p-1:4_test:12', 'p-1')).toEqual({
    stage: '4_test',
    generation: 12,
  });
  expect(parseStageJobKey('a:b:3_build:1', 'a:b')).toEqual({
    stage: '3_build',
    generation: 1,
  });
  for (const key of ['p-1:4_test:1e0', 'p-1:4_test:01', 'p-1:4_test:+1', 'p-1:4_test: 1', 'p-1:4_test:0x1']) {
    expect({ key, parsed: parseStageJobKey(key, 'p-1') }).toEqual({ key, parsed: undefined });
  }
  for (const key of [
    'p-1:4_test:0',
    'p-1:4_test:',
    'p-1:4_test',
    'p-1:9_nope:1',
    'p-1:4_test:1:x',
    'p-2:4_test:1',
  ]) {
    expect({ key, parsed: parseStageJobKey(key, 'p-1') }).toEqual({ key, parsed: undefined });
  }
  expect(parseStageJobKey('p-1:4_test:99999999999999999999', 'p-1')).toBeUndefined();
});

test('every key a stage job key could be read from is stage-shaped, for any project', () => {
  for (const key of [
    'p-1:4_test:1',
    'nobody:3_build:7',
    'a:b:5_defect_validation:2',
    ':0_sales:1',
    'x:4_test:1e0',
    'x:4_test:',
  ]) {
    expect({ key, reserved: isStageShapedKey(key) }).toEqual({ key, reserved: true });
  }
  for (const key of ['my-key', 'p-1:4_test', '4_test:1', 'p-1:4_test:1:x', 'p-1:4_TEST:1', 'p-1:9_nope:1']) {
    expect({ key, reserved: isStageShapedKey(key) }).toEqual({ key, reserved: false });
  }
});

test('only the pipeline service owns stage jobs; a person of the same name does not', () => {
  expect(isStageJobOwner({ kind: 'service', id: 'pipeline' })).toBe(true);
  expect(isStageJobOwner({ kind: 'user', id: 'pipeline' })).toBe(false);
  expect(isStageJobOwner({ kind: 'service', id: 'hitl' })).toBe(false);
  expect(isStageJobOwner(undefined)).toBe(false);
});
