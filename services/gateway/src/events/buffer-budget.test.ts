import { type BudgetedStream, BufferBudget } from './buffer-budget.js';

/** A stream whose unsent bytes the test sets, as its client reads or stops reading. */
class FakeStream implements BudgetedStream {
  cut = false;
  constructor(
    readonly name: string,
    public unsentBytes: number,
    private readonly budget: BufferBudget,
  ) {}
  cutOff(): void {
    this.cut = true;
    this.budget.release(this);
  }
}

test('within the budget nobody is cut off', () => {
  const budget = new BufferBudget(100);
  const streams = [40, 60].map((bytes, i) => new FakeStream(`s${i}`, bytes, budget));
  for (const stream of streams) budget.wrote(stream);
  expect(streams.map((stream) => stream.cut)).toEqual([false, false]);
  expect(budget.heldBytes).toBe(100);
});

test('past the budget the streams holding the most are cut off until it holds again', () => {
  const budget = new BufferBudget(100);
  const [a, b, c] = [30, 50, 10].map((bytes, i) => new FakeStream(`s${i}`, bytes, budget)) as [
    FakeStream,
    FakeStream,
    FakeStream,
  ];
  for (const stream of [a, b, c]) budget.wrote(stream);
  c.unsentBytes = 45; // c's client stopped reading: 125 in all
  budget.wrote(c);
  expect([a.cut, b.cut, c.cut]).toEqual([false, true, false]);
  expect(budget.heldBytes).toBe(75);
});

test('what clients read since their last write is taken into account before anyone is cut off', () => {
  const budget = new BufferBudget(100);
  const reader = new FakeStream('reader', 90, budget);
  budget.wrote(reader);
  reader.unsentBytes = 0; // its client read everything; the budget has not been told
  const writer = new FakeStream('writer', 60, budget);
  budget.wrote(writer);
  expect([reader.cut, writer.cut]).toEqual([false, false]);
  expect(budget.heldBytes).toBe(60);
});

test('a stream that ends releases what it held', () => {
  const budget = new BufferBudget(100);
  const stream = new FakeStream('s', 70, budget);
  budget.wrote(stream);
  budget.release(stream);
  budget.release(stream);
  expect(budget.heldBytes).toBe(0);
});
