import { describe, expect, test } from 'vitest';
import { checkAssignment, sameAssignees } from './assignment';

describe('the assignee list', () => {
  test('is sent trimmed when every row has an id and a name', () => {
    expect(checkAssignment([{ id: ' dev-1 ', name: ' Devi ' }])).toEqual({
      errors: {},
      body: { assignees: [{ id: 'dev-1', name: 'Devi' }] },
    });
  });

  test('names each problem by the path the API would use', () => {
    const checked = checkAssignment([
      { id: 'dev-1', name: 'Devi' },
      { id: '', name: 'Ann' },
      { id: 'dev-1', name: '  ' },
    ]);
    expect(checked.body).toBeUndefined();
    expect(checked.errors).toEqual({
      '1.id': 'Enter an id',
      '2.id': 'This person is listed already',
      '2.name': 'Enter a name',
    });
  });

  test('needs one to twenty people', () => {
    expect(checkAssignment([]).errors).toEqual({ list: 'Add at least one assignee' });
    const many = Array.from({ length: 21 }, (_, i) => ({ id: `p${i}`, name: `P${i}` }));
    expect(checkAssignment(many).errors).toEqual({ list: 'At most 20 assignees' });
  });

  test('an edit that restores the saved list is no change', () => {
    const saved = [{ id: 'a', name: 'A' }];
    expect(sameAssignees([{ id: 'a', name: 'A' }], saved)).toBe(true);
    expect(sameAssignees([{ id: 'a', name: 'B' }], saved)).toBe(false);
    expect(sameAssignees([], saved)).toBe(false);
  });
});
