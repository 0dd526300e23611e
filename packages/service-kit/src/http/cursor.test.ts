import { afterCursor, decodeCursor, encodeCursor } from './cursor.js';

test('a cursor round-trips its position and is opaque', () => {
  const position = { createdAt: new Date('2026-03-04T05:06:07.089Z'), id: 'job-42' };
  const cursor = encodeCursor(position);
  expect(cursor).not.toContain('job-42');
  expect(decodeCursor(cursor)).toEqual(position);
});

test.each([
  '',
  'garbage',
  Buffer.from('[1,2]').toString('base64url'),
  Buffer.from('["not a date","x"]').toString('base64url'),
])('a cursor not made here decodes to undefined: %p', (cursor) => {
  expect(decodeCursor(cursor)).toBeUndefined();
});

test('afterCursor selects strictly older items, breaking createdAt ties by id', () => {
  const createdAt = new Date('2026-01-01T00:00:00Z');
  expect(afterCursor({ createdAt, id: 'b' })).toEqual({
    $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: 'b' } }],
  });
});
