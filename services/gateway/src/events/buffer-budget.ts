/** A stream as the budget sees it: what it has written but not sent yet, and how to cut it off. */
export interface BudgetedStream {
  readonly unsentBytes: number;
  /** Ends the stream at once; it releases itself from the budget. */
  cutOff(): void;
}

/**
 * What all the live-event streams of a replica hold unsent, together, bounded: past the bound the
 * streams holding the most (the slowest clients) are cut off until it holds again, so clients
 * that stop reading cost the gateway at most this much, however many there are. (They reconnect
 * and resume or refetch.) A stream's figure is taken when it writes; since its client may have
 * read since, every figure is taken again before anyone is cut off.
 */
export class BufferBudget {
  readonly #held = new Map<BudgetedStream, number>();
  #total = 0;

  constructor(readonly maxBytes: number) {}

  /** The unsent bytes counted now. */
  get heldBytes(): number {
    return this.#total;
  }

  /** After `stream` wrote: counts what it holds, and cuts off the slowest streams if over budget. */
  wrote(stream: BudgetedStream): void {
    this.#count(stream);
    if (this.#total <= this.maxBytes) return;
    for (const other of this.#held.keys()) this.#count(other);
    const slowestFirst = [...this.#held].sort(([, a], [, b]) => b - a);
    for (const [slow] of slowestFirst) {
      if (this.#total <= this.maxBytes) return;
      slow.cutOff();
      this.release(slow);
    }
  }

  /** A stream that ended holds nothing any more. */
  release(stream: BudgetedStream): void {
    this.#total -= this.#held.get(stream) ?? 0;
    this.#held.delete(stream);
  }

  #count(stream: BudgetedStream): void {
    const bytes = stream.unsentBytes;
    this.#total += bytes - (this.#held.get(stream) ?? 0);
    this.#held.set(stream, bytes);
  }
}
