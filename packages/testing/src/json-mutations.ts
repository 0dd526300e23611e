import fc from 'fast-check';

/** One way to break a valid JSON body in one place: the input that slips past a careless check. */
export type Mutation =
  | { kind: 'replace'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'add-key'; key: string; value: unknown }
  | { kind: 'nest'; levels: number }
  | { kind: 'wrap' };

// Wrong types, limits' edges (just over the string, array and body bounds) and plain junk.
const odd = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, '', 0, -1, 1e308, true, [], {}, 'x'.repeat(100_001), 'x'.repeat(1_100_000)),
  fc.constantFrom(10_001).map((n) => new Array(n).fill(0)),
);

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: odd.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('add-key' as const),
      key: fc.constantFrom(
        '$set',
        '$where',
        'a.b',
        '__proto__',
        'constructor',
        'nul\u0000',
        '',
        'k'.repeat(300),
      ),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(31, 33, 101, 400, 2_000).map((levels) => ({ kind: 'nest' as const, levels })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrap' as const }) },
);

/** A valid body broken in one place: the inputs that slip past a careless check. */
export function mutate(body: unknown, pick: number, mutation: Mutation): unknown {
  const root = { body: structuredClone(body) };
  const slots: [Record<string | number, unknown>, string | number][] = [[root, 'body']];
  for (let i = 0; i < slots.length; i += 1) {
    const [parent, key] = slots[i] as (typeof slots)[number];
    const value = parent[key];
    if (value && typeof value === 'object') {
      for (const childKey of Object.keys(value)) slots.push([value as Record<string, unknown>, childKey]);
    }
  }
  const [parent, key] = slots[pick % slots.length] as (typeof slots)[number];
  switch (mutation.kind) {
    case 'replace':
      parent[key] = mutation.value;
      break;
    case 'delete':
      if (parent === root) return undefined;
      delete parent[key];
      break;
    case 'add-key': {
      if (!isPlainObject(parent[key])) parent[key] = {};
      const object = parent[key] as Record<string, unknown>;
      // defineProperty: plain assignment of `__proto__` would set the prototype, not a key.
      Object.defineProperty(object, mutation.key, {
        value: mutation.value,
        enumerable: true,
        writable: true,
      });
      break;
    }
    case 'nest': {
      let nested: unknown = parent[key] ?? 1;
      for (let level = 0; level < mutation.levels; level += 1) nested = { a: nested };
      parent[key] = nested;
      break;
    }
    case 'wrap':
      parent[key] = [parent[key]];
  }
  return root.body;
}

const isPlainObject = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
