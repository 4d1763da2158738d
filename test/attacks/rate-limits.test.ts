import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionHarness, type ProductionHarness } from '../support/production-harness.js';
import { postJson, type RawResponse } from './attack-http.js';

// Issue 7, "must hold": rate limits per principal, per tenant, stricter for mutations, and per client IP for failed
// authentications, counted in Redis (production mode). Over a limit: HTTP 429, code RATE_LIMITED, retryAfterSeconds
// and a Retry-After header; the gateway keeps serving everyone else.

let h: ProductionHarness;

beforeAll(async () => {
  h = await startProductionHarness({
    env: {
      RATE_LIMIT_WINDOW_SEC: '60',
      RATE_LIMIT_PER_PRINCIPAL: '6',
      RATE_LIMIT_PER_TENANT: '40',
      RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '2',
      RATE_LIMIT_FAILED_AUTH_PER_IP: '3',
    },
  });
});
afterAll(() => h.stop());

const me = async (sub: string, tenant = 'acme') =>
  postJson(h.url, await h.token({ roles: ['clinician'], sub, tenant }), { query: '{ me { sub } }' });

function expectLimited(r: RawResponse, limit: string): void {
  expect(r.status).toBe(429);
  expect(r.json?.data ?? null).toBeNull();
  const ext = r.json?.errors?.[0]?.extensions;
  expect(ext).toMatchObject({ code: 'RATE_LIMITED', limit });
  const seconds = ext?.retryAfterSeconds as number;
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  expect(r.headers.get('retry-after')).toBe(String(seconds));
}

describe('rate limits (Redis)', () => {
  it('per principal: the 7th request in the window is 429, another principal is unaffected', async () => {
    for (let i = 0; i < 6; i++) expect((await me('rl-alice')).status).toBe(200);
    expectLimited(await me('rl-alice'), 'principal');
    expect((await me('rl-bob')).status).toBe(200);
  });

  it('mutations: stricter, counted apart from reads', async () => {
    const token = await h.token({ roles: ['security-admin'], sub: 'rl-sec', mfa: true });
    const stop = (i: number) =>
      postJson(h.url, token, {
        query: `mutation { emergencyStop(target: "agent:rl-${i}", environment: STAGING, reason: "drill") { stopped } }`,
      });
    expect((await stop(1)).status).toBe(200);
    expect((await stop(2)).status).toBe(200);
    expectLimited(await stop(3), 'mutations');
    // Reads of the same principal still go through (its principal budget is not spent).
    expect((await postJson(h.url, token, { query: '{ me { sub } }' })).status).toBe(200);
  });

  it('per tenant: many principals together hit the tenant budget; another tenant is unaffected', async () => {
    const results: number[] = [];
    for (let i = 0; i < 40; i++) results.push((await me(`rl-crowd-${i}`)).status);
    expect(results.includes(429)).toBe(true);
    expectLimited(await me('rl-crowd-last'), 'tenant');
    expect((await me('rl-globex', 'globex')).status).toBe(200);
  });

  it('failed authentications per client IP: 401 until the budget is spent, then 429', async () => {
    const bad = () => postJson(h.url, 'not-a-jwt', { query: '{ me { sub } }' });
    for (let i = 0; i < 3; i++) expect((await bad()).status).toBe(401);
    expectLimited(await bad(), 'failed-auth');
    // A valid token from the same IP is still served: the budget is for failures.
    expect((await me('rl-valid', 'globex')).status).toBe(200);
  });

  it('counters live in Redis under the tenant hash tag, with an expiry', async () => {
    const redis = h.redis.client();
    const keys = await redis.keys('clr:*:rl:*');
    expect(keys.some((k) => k.startsWith('clr:{acme}:rl:p:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('clr:{ip:'))).toBe(true);
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/rl-alice|rl-bob/); // principal ids are hashed
    redis.disconnect();
  });
});
