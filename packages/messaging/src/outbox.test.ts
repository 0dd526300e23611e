import { createEnvelope } from '@delivery/contracts';
import { eventEntry, pushedOutboxEntries, sequencedEntry } from './outbox.js';

const one = eventEntry(createEnvelope('shop.order.placed.v1', 1, {}));
const two = eventEntry(createEnvelope('shop.order.paid.v1', 1, {}));

test('finds the entries an update appends to the outbox, in either $push form', () => {
  expect(pushedOutboxEntries({ $push: { outbox: one } })).toEqual([one]);
  expect(pushedOutboxEntries({ $push: { outbox: { $each: [one, two] }, history: { x: 1 } } })).toEqual([
    one,
    two,
  ]);
  expect(pushedOutboxEntries({ $push: { history: { x: 1 } } })).toEqual([]);
  expect(pushedOutboxEntries({})).toEqual([]);
  expect(pushedOutboxEntries(undefined)).toEqual([]);
});

test('stamps an entry with its subject and sequence, keeping a subject the writer named', () => {
  expect(sequencedEntry(one, 'doc-1', 3).envelope).toEqual({
    ...one.envelope,
    subject: 'doc-1',
    sequence: 3,
  });
  const named = eventEntry({ ...one.envelope, subject: 'order-7' });
  expect(sequencedEntry(named, 'doc-1', 4).envelope).toMatchObject({ subject: 'order-7', sequence: 4 });
  expect(one.envelope).not.toHaveProperty('sequence');
});
