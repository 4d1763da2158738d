// Runs async work one at a time per key, in arrival order, within this process. The store's compare-and-set keeps
// replicas correct; this only keeps one gateway's own concurrent proposals for the same target from racing each
// other into retries (ten at once on one setting meant up to ten reads and decisions per change applied).

export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    // Whatever the previous holder's outcome, the next one runs; its own errors go to its own caller.
    const result = before.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
