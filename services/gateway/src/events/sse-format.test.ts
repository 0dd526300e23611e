import { sseComment, sseEvent, sseRetry } from './sse-format.js';

test('an event is its fields, one data line per line of data, and a blank line', () => {
  expect(sseEvent({ id: 'e-1', event: 'ready', data: '{"a":1}' })).toBe(
    'id: e-1\nevent: ready\ndata: {"a":1}\n\n',
  );
  expect(sseEvent({ data: 'one\ntwo\r\nthree' })).toBe('data: one\ndata: two\ndata: three\n\n');
});

test('a line break in a field other than data is refused: it would forge another field', () => {
  expect(() => sseEvent({ id: 'a\nevent: x', data: '' })).toThrow(/line break/);
  expect(() => sseEvent({ event: 'a\rb', data: '' })).toThrow(/line break/);
});

test('comments and retry are single lines', () => {
  expect(sseComment('keep\nalive')).toBe(': keep alive\n\n');
  expect(sseRetry(2500.7)).toBe('retry: 2500\n\n');
});
