import { decision, type RateBucket, type RateLimiter } from './rate-limiter.js';

// The embedded default's rate limiter: one process, so a Map is the truth. Expired windows are swept on a timer
// (unref'd) so a flood of distinct buckets (e.g. failed logins from many IPs) cannot grow the map without bound.

interface Window {
  count: number;
  resetAt: number;
}

export function createMemoryRateLimiter(now: () => number = Date.now, sweepMs = 30_000): RateLimiter {
  const windows = new Map<string, Window>();
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
  }, sweepMs);
  sweep.unref();
  return {
    async hit(bucket: RateBucket, limit: number, windowMs: number) {
      const key = `${bucket.scope}\u0000${bucket.name}`;
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return decision(w.count, limit, w.resetAt - t);
    },
    async close() {
      clearInterval(sweep);
      windows.clear();
    },
  };
}
