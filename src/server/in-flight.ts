// Counts requests being served so a shutdown can let them finish: stop accepting, wait until the count is zero or
// the timeout passed, then cut what is left. While draining, responses ask clients to close their keep-alive
// connection so they reconnect to another replica.

export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];
  draining = false;

  get size(): number {
    return this.count;
  }

  enter(): void {
    this.count += 1;
  }

  leave(): void {
    this.count -= 1;
    if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves true when every request finished, false when the timeout came first. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<boolean>((resolve) => this.waiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return done;
  }
}
