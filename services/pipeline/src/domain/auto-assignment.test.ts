import { pickAssignee } from './auto-assignment.js';

const ann = { id: 'ann', name: 'Ann' };
const ben = { id: 'ben', name: 'Ben' };
const cat = { id: 'cat', name: 'Cat' };
const pool = [ann, ben, cat];

describe('pickAssignee', () => {
  test('an empty pool has nobody to pick', () => {
    expect(pickAssignee([], {}, null)).toBeUndefined();
  });

  test('the least loaded member is picked whatever the turn', () => {
    expect(pickAssignee(pool, { ann: 3, ben: 1, cat: 2 }, 'ann')).toEqual(ben);
    expect(pickAssignee(pool, { ann: 3, ben: 1, cat: 2 }, 'ben')).toEqual(ben);
  });

  test('a member the load does not name has none', () => {
    expect(pickAssignee(pool, { ann: 1, ben: 1 }, null)).toEqual(cat);
  });

  test('with no last pick, the first of the least loaded in pool order', () => {
    expect(pickAssignee(pool, { ann: 2, ben: 1, cat: 1 }, null)).toEqual(ben);
  });

  test('equals take turns: the first least loaded after the last pick, wrapping', () => {
    expect(pickAssignee(pool, {}, 'ann')).toEqual(ben);
    expect(pickAssignee(pool, {}, 'ben')).toEqual(cat);
    expect(pickAssignee(pool, {}, 'cat')).toEqual(ann);
    expect(pickAssignee(pool, { ann: 0, ben: 5, cat: 0 }, 'cat')).toEqual(ann);
    expect(pickAssignee(pool, { ann: 0, ben: 5, cat: 0 }, 'ann')).toEqual(cat);
  });

  test('a last pick who left the pool starts the turn from the beginning', () => {
    expect(pickAssignee(pool, {}, 'dan')).toEqual(ann);
  });

  test('a run of picks with the load they add spreads the work evenly', () => {
    const load: Record<string, number> = { ann: 1 };
    let last: string | null = null;
    const picked: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const member = pickAssignee(pool, load, last);
      if (member === undefined) throw new Error('the pool is not empty');
      picked.push(member.id);
      load[member.id] = (load[member.id] ?? 0) + 1;
      last = member.id;
    }
    expect(picked).toEqual(['ben', 'cat', 'ann', 'ben', 'cat']);
  });
});
