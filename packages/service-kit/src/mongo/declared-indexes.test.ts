import mongoose, { Schema } from 'mongoose';
import { declaredIndexes, indexFingerprint } from './declared-indexes.js';

type Declaration = ['orders' | 'invoices', Record<string, 1 | -1>, Record<string, unknown>?];

let models = 0;
/** Two models with these indexes, on a connection that never connects: declaring needs no server. */
function modelsDeclaring(declarations: Declaration[]) {
  const connection = mongoose.createConnection();
  const schemas = {
    orders: new Schema({ customer: String, placedAt: Date, key: String }, { collection: 'orders' }),
    invoices: new Schema({ order: String, due: Date }, { collection: 'invoices' }),
  };
  for (const [collection, key, options] of declarations) schemas[collection].index(key, options);
  models += 1;
  return [
    connection.model(`Order${models}`, schemas.orders),
    connection.model(`Invoice${models}`, schemas.invoices),
  ];
}

const fingerprintOf = (declarations: Declaration[]) =>
  indexFingerprint(declaredIndexes(modelsDeclaring(declarations)));

const BASE: Declaration[] = [
  ['orders', { key: 1 }, { unique: true, sparse: true }],
  ['orders', { customer: 1, placedAt: -1 }],
  ['invoices', { due: 1 }, { expireAfterSeconds: 0 }],
];

describe('the declared indexes and their fingerprint', () => {
  it('lists each collection with its keys and options, in a canonical order', () => {
    expect(declaredIndexes(modelsDeclaring(BASE))).toEqual([
      { collection: 'invoices', indexes: [[{ due: 1 }, { expireAfterSeconds: 0 }]] },
      {
        collection: 'orders',
        indexes: [
          [{ customer: 1, placedAt: -1 }, {}],
          [{ key: 1 }, { sparse: true, unique: true }],
        ],
      },
    ]);
  });

  it('does not depend on the order of the declarations, their options or the models', () => {
    const reordered: Declaration[] = [
      ['invoices', { due: 1 }, { expireAfterSeconds: 0 }],
      ['orders', { customer: 1, placedAt: -1 }],
      ['orders', { key: 1 }, { sparse: true, unique: true }],
    ];
    expect(fingerprintOf(reordered)).toBe(fingerprintOf(BASE));
    const reversedModels = modelsDeclaring(BASE).toReversed();
    expect(indexFingerprint(declaredIndexes(reversedModels))).toBe(fingerprintOf(BASE));
    expect(fingerprintOf(BASE)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, Declaration[]]>([
    ['an index added', [...BASE, ['invoices', { order: 1 }]]],
    ['an option changed', [['orders', { key: 1 }, { unique: true }], ...BASE.slice(1)]],
    [
      'a compound key reordered',
      [BASE[0] as Declaration, ['orders', { placedAt: -1, customer: 1 }], BASE[2] as Declaration],
    ],
    ['an index removed', BASE.slice(0, 2)],
  ])('changes with %s', (_change, declarations) => {
    expect(fingerprintOf(declarations)).not.toBe(fingerprintOf(BASE));
  });
});
