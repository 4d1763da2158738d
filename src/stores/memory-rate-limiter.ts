import { decision, type RateBucket, type RateLimiter } from './rate-limiter.js';

// The embedded default's rate limiter: one process, so a Map is the truth. Expired windows are swept on a timer
// (unref'd) so a flood of distinct buckets (e.g. failed logins from many IPs) cannot grow the map without bound.

interface Window {
  count: number;
  resetAt: number;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now, sweepMs = 30_000) {
    this.sweep = setInterval(() => {
      const t = now();
      for (const [key, w] of this.windows) if (w.resetAt <= t) this.windows.delete(key);
    }, sweepMs);
    this.sweep.unref();
  }

  async hit(bucket: RateBucket, limit: number, windowMs: number) {
    const key = `${bucket.scope}\u0000${bucket.name}`;
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= t) {
      w = { count: 0, resetAt: t + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return decision(w.count, limit, w.resetAt - t);
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    this.windows.clear();
  }
}
