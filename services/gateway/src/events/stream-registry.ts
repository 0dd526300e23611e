/**
 * The open live-event streams of this replica by what they belong to (`session:<id>`,
 * `key:<id>`, `user:<id>`), so that signing out, revoking a key or deactivating an account ends
 * its streams at once instead of when they reach their maximum age. (Streams on other replicas
 * end at that age; they are authenticated again when they reconnect.)
 */
export class StreamRegistry {
  private readonly byOwner = new Map<string, Set<() => void>>();

  /** Registers a stream's `end`; returns what unregisters it (call when the stream ends). */
  add(owners: readonly string[], end: () => void): () => void {
    for (const owner of owners) {
      const ends = this.byOwner.get(owner) ?? new Set();
      ends.add(end);
      this.byOwner.set(owner, ends);
    }
    return () => {
      for (const owner of owners) {
        const ends = this.byOwner.get(owner);
        ends?.delete(end);
        if (ends?.size === 0) this.byOwner.delete(owner);
      }
    };
  }

  /** Ends every stream of `owner`. */
  endAll(owner: string): void {
    for (const end of [...(this.byOwner.get(owner) ?? [])]) end();
  }
}
