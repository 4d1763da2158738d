import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/stores/memory-rate-limiter.js';
import type { RateLimiter } from '../../src/stores/rate-limiter.js';
import { RedisRateLimiter, rateKey } from '../../src/stores/redis-rate-limiter.js';
import { StoreUnavailableError } from '../../src/errors/errors.js';
import { RedisServer } from '../support/redis-server.js';
import { rateLimiterContract } from './rate-limiter-contract.js';

let server: RedisServer;
const limiters: RateLimiter[] = [];
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(limiters.map((l) => l.close()));
  await server.stop();
});

const keep = (l: RateLimiter) => (limiters.push(l), l);

rateLimiterContract('memory', async () => keep(new MemoryRateLimiter()));
rateLimiterContract('redis', async () => keep(new RedisRateLimiter(server.client(), { ownsClient: true })));

// The time a refusal says is left, exactly, against an injected clock (the contract only says it is some and never grows).
describe('memory rate limiter, injected clock', () => {
  it('says the time left to the end of the window, and opens a new window at its end', async () => {
    let now = 1_000_000;
    const l = keep(new MemoryRateLimiter(() => now));
    const b = { scope: 'acme', name: 'p:clock' };
    for (let i = 0; i < 3; i++) expect((await l.hit(b, 3, 10_000)).allowed).toBe(true);
    now += 2_500;
    expect(await l.hit(b, 3, 10_000)).toMatchObject({ allowed: false, count: 4, resetMs: 7_500 });
    now += 7_499;
    expect(await l.hit(b, 3, 10_000)).toMatchObject({ allowed: false, resetMs: 1 });
    now += 1;
    expect(await l.hit(b, 3, 10_000)).toMatchObject({ allowed: true, count: 1 });
  });
});

describe('redis rate limiter', () => {
  it('keys carry the scope as hash tag and always expire', async () => {
    const l = keep(new RedisRateLimiter(server.client(), { ownsClient: true }));
    const b = { scope: 'acme', name: 'p:expiry' };
    expect(rateKey(b)).toBe('clr:{acme}:rl:p:expiry');
    await l.hit(b, 5, 60_000);
    const redis = server.client();
    const ttl = await redis.pttl(rateKey(b));
    expect(ttl).toBeGreaterThan(50_000);
    // A counter left without expiry (e.g. written by hand) gets one on the next hit instead of refusing forever.
    await redis.set(rateKey({ scope: 'acme', name: 'p:stuck' }), '999');
    await l.hit({ scope: 'acme', name: 'p:stuck' }, 5, 60_000);
    expect(await redis.pttl(rateKey({ scope: 'acme', name: 'p:stuck' }))).toBeGreaterThan(0);
    redis.disconnect();
  });

  it('a Redis that went away is STORE_UNAVAILABLE, never a crash', async () => {
    const dead = await RedisServer.start();
    const client = dead.client();
    client.on('error', () => {});
    const l = new RedisRateLimiter(client, { ownsClient: false });
    await l.hit({ scope: 'acme', name: 'x' }, 1, 1000);
    await dead.stop();
    await expect(l.hit({ scope: 'acme', name: 'x' }, 1, 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
    client.disconnect();
  });
});
