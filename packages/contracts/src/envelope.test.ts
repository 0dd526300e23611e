import { createEnvelope, envelopeSchema, isStale } from './envelope.js';

const at = (sequence?: number) => ({ ...createEnvelope('shop.order.paid.v1', 1, {}), sequence });

test('an envelope at or below the last sequence seen is stale; a newer one is not', () => {
  expect(isStale(4, at(3))).toBe(true);
  expect(isStale(4, at(4))).toBe(true);
  expect(isStale(4, at(5))).toBe(false);
});

test('nothing is stale for a subject not seen yet, nor without a sequence', () => {
  expect(isStale(undefined, at(1))).toBe(false);
  expect(isStale(7, at(undefined))).toBe(false);
});

test('subject and sequence are optional, and a sequence is a positive integer', () => {
  const plain = createEnvelope('shop.order.paid.v1', 1, {});
  expect(envelopeSchema.safeParse(plain).success).toBe(true);
  expect(envelopeSchema.parse({ ...plain, subject: 'o-1', sequence: 3 })).toMatchObject({
    subject: 'o-1',
    sequence: 3,
  });
  for (const sequence of [0, -1, 1.5]) {
    expect(envelopeSchema.safeParse({ ...plain, sequence }).success).toBe(false);
  }
  expect(envelopeSchema.safeParse({ ...plain, subject: '' }).success).toBe(false);
});
