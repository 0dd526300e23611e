import { createEnvelope, defineEvent } from '@delivery/contracts';
import { z } from 'zod';
import { decodeMessage } from './decode-message.js';

const placed = defineEvent({
  service: 'shop',
  entity: 'order',
  event: 'placed',
  version: 1,
  payload: z.object({ orderId: z.string() }),
});
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

test('accepts a valid envelope of a known type', () => {
  const message = placed.create({ orderId: 'o-1' });
  expect(decodeMessage(bytes(message), [placed])).toEqual({
    ok: true,
    envelope: message,
    definition: placed,
  });
});

test.each([
  ['not JSON', '{oops', /^invalid JSON/],
  [
    'an unknown type',
    createEnvelope('shop.order.lost.v1', 1, {}),
    /^unknown message type "shop\.order\.lost\.v1"/,
  ],
  ['no type at all', [1, 2], /^unknown message type null/],
  ['a bad payload', createEnvelope('shop.order.placed.v1', 1, { orderId: 7 }), /payload\.orderId/],
  [
    'a bad envelope',
    { ...placed.create({ orderId: 'x' }), id: 'not-a-uuid' },
    /^schema validation failed: id/,
  ],
])('rejects %s with a reason', (_, value, reason) => {
  const decoded = decodeMessage(bytes(value), [placed]);
  expect(decoded.ok).toBe(false);
  expect(decoded.ok ? '' : decoded.reason).toMatch(reason);
});
