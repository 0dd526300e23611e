import { createEnvelope } from '@delivery/contracts';
import { eventEntry, pushedOutboxEntries } from './outbox.js';

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
