import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthEvent } from '../../src/audit/audit-event.js';
import { parseRecord } from '../../src/audit/audit-records.js';
import { auditAppend } from '../../src/audit/chain.js';
import { UNVERIFIED_LOG } from '../../src/services/audit/failed-login.js';
import { loadOrCreateDevKeys, type DevKeys } from '../../src/auth/dev-keys.js';
import { parseConfig } from '../../src/config/config.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { failingStores } from '../support/failing-store.js';
import { startHarness, type Harness } from '../support/harness.js';

// Failed logins are counted per log, source and window into ONE `auth` event: to the tenant the tokens claim when
// that is a tenant the store knows, else to `_unverified`; the claimed subjects only when they look like ones, as
// `claimedSubjects` and never as the actor; never the token. 150 forged tokens are one event, also past the 429.
// The 401 stays a 401 whatever happens to the audit write. The gateway runs on a clock the test moves.

const { issuer: ISSUER, audience: AUDIENCE } = parseConfig({}, []).auth;
const inner = memoryStores();
const { stores, failWrites } = failingStores(inner);
let clock = Date.now();
let h: Harness;
let dev: DevKeys;

beforeAll(async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'clearance-failed-login-'));
  dev = await loadOrCreateDevKeys(stateDir);
  h = await startHarness({ stores, env: { CLEARANCE_STATE_DIR: stateDir }, now: () => clock });
  // A first PHI read commits to acme, so the store knows the tenant. (Tokens are signed here with the dev key of the
  // state dir the gateway was given; the harness's own token() uses another.)
  const r = await h.gql(await sign({ roles: ['front-desk'] }), '{ patients(first: 1) { edges { node { name } } } }');
  expect(r.status).toBe(200);
});
afterAll(() => h.stop());

function sign(overrides: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'dr-who',
    tenant: 'acme',
    roles: ['clinician'],
    iat: now,
    exp: now + 600,
    ...overrides,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: dev.kid, typ: 'JWT' }).sign(dev.privateKey);
}
const tamper = (jws: string) => `${jws.slice(0, -6)}AAAAAA`;

async function authEvents(tenant: string): Promise<{ events: AuthEvent[]; raw: string }> {
  const raw = await inner.audit.records(tenant, 1, 10_000);
  const events = raw.flatMap((r) => parseRecord(r)?.events ?? []).filter((e): e is AuthEvent => e.category === 'auth');
  return { events, raw: raw.join('\n') };
}

async function post(authorization: string | null) {
  const res = await fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
    body: JSON.stringify({ query: '{ me { sub } }' }),
  });
  return { status: res.status, body: (await res.json()) as { errors?: { extensions?: { code?: string; reason?: string } }[] } };
}

/** The events written for what was counted so far (the gateway writes open windows on shutdown the same way). */
async function newEvents(tenant: string, before: number): Promise<AuthEvent[]> {
  await h.running.failedLogins.flush();
  return (await authEvents(tenant)).events.slice(before);
}

describe('failed-login audit', () => {
  it('a bad signature is counted in the claimed tenant\'s log: the claimed subject is not the actor, the token is nowhere', async () => {
    const token = tamper(await sign({}));
    const before = (await authEvents('acme')).events.length;
    const r = await post(`Bearer ${token}`);
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
    const events = await newEvents('acme', before);
    expect(events).toMatchObject([
      {
        tenant: 'acme',
        action: 'auth.failed',
        outcome: 'failure',
        reason: 'BAD_SIGNATURE',
        actor: null,
        count: 1,
        claimedSubjects: ['dr-who'],
      },
    ]);
    expect(events[0]!.source).toMatch(/127\.0\.0\.1|::1/);
    const { raw } = await authEvents('acme');
    for (const part of token.split('.')) expect(raw).not.toContain(part);
    expect(h.logLines.join('\n')).not.toContain(token.split('.')[2]);
  });

  it('one source\'s failures of one window are one event with their count and reasons; a closed window is written by the next ' +
    'failure', async () => {
    const before = (await authEvents('acme')).events.length;
    const past = Math.floor(Date.now() / 1000) - 3600;
    await post(`Bearer ${await sign({ sub: 'nurse-7', iat: past - 600, exp: past })}`);
    await post(`Bearer ${tamper(await sign({}))}`);
    await post(`Bearer ${tamper(await sign({}))}`);
    expect((await authEvents('acme')).events.length).toBe(before);
    clock += 61_000;
    await post(`Bearer ${tamper(await sign({ sub: 'next-window' }))}`);
    const written = (await authEvents('acme')).events.slice(before);
    expect(written).toMatchObject([{ count: 3, reason: 'BAD_SIGNATURE', reasons: { BAD_SIGNATURE: 2, EXPIRED: 1 }, actor: null }]);
    expect([...written[0]!.claimedSubjects!].sort()).toEqual(['dr-who', 'nurse-7']);
    expect(await newEvents('acme', before + 1)).toMatchObject([{ count: 1, claimedSubjects: ['next-window'] }]);
  });

  it('a tenant the store does not know, or no valid tenant at all, goes to the _unverified log', async () => {
    const before = (await authEvents(UNVERIFIED_LOG)).events.length;
    await post(`Bearer ${tamper(await sign({ tenant: 'ghost-clinic' }))}`);
    await post(`Bearer ${tamper(await sign({ tenant: '../acme' }))}`);
    await post('Bearer not-a-jws');
    const events = await newEvents(UNVERIFIED_LOG, before);
    expect(events).toMatchObject([
      { tenant: UNVERIFIED_LOG, count: 3, reasons: { BAD_SIGNATURE: 2, MALFORMED_TOKEN: 1 }, claimedSubjects: ['dr-who'], actor: null },
    ]);
    expect(await inner.governance.tenants()).not.toContain('ghost-clinic');
    // An audit log, not a tenant: the escalation of unclaimed emergencies does not run there (it failed every 30 s).
    expect(await inner.governance.tenants()).toContain(UNVERIFIED_LOG);
    const from = h.logLines.length;
    await h.running.escalations.sweep();
    expect(h.logLines.slice(from).filter((l) => l.includes('message escalation failed'))).toEqual([]);
  });

  it('nor does it run for a tenant the store knows from its audit alone, with no EHR configured', async () => {
    const record = auditAppend({ v: 1, tenant: 'umbrella-health', events: [] });
    await inner.governance.commit('umbrella-health', [{ type: 'audit', record }]);
    expect(await inner.governance.tenants()).toContain('umbrella-health');
    const from = h.logLines.length;
    await h.running.escalations.sweep();
    expect(h.logLines.slice(from).filter((l) => l.includes('message escalation failed'))).toEqual([]);
  });

  it('an implausible subject is not recorded', async () => {
    const before = (await authEvents('acme')).events.length;
    await post(`Bearer ${tamper(await sign({ sub: 'x'.repeat(300) }))}`);
    await post(`Bearer ${tamper(await sign({ sub: 'Robert"); DROP TABLE' }))}`);
    expect(await newEvents('acme', before)).toMatchObject([{ count: 2, claimedSubjects: [], actor: null }]);
  });

  it('a request with no token is not a failed login: nothing is written', async () => {
    const before = [(await authEvents('acme')).events.length, (await authEvents(UNVERIFIED_LOG)).events.length];
    expect((await post(null)).status).toBe(401);
    await h.running.failedLogins.flush();
    expect([(await authEvents('acme')).events.length, (await authEvents(UNVERIFIED_LOG)).events.length]).toEqual(before);
  });

  it('when the audit write fails, the answer is still 401 UNAUTHENTICATED', async () => {
    failWrites(true);
    try {
      const r = await post(`Bearer ${tamper(await sign({}))}`);
      expect(r.status).toBe(401);
      expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
      await h.running.failedLogins.flush();
    } finally {
      failWrites(false);
    }
  });

  it('150 forged tokens claiming acme are ONE event, also past the failed-auth limit (429)', async () => {
    clock += 61_000;
    const before = (await authEvents('acme')).events.length;
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) statuses.push((await post(`Bearer ${tamper(await sign({ sub: `forged-${i}` }))}`)).status);
    expect(statuses).toContain(429);
    const events = await newEvents('acme', before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 150, actor: null });
    expect(events[0]!.claimedSubjects!.length).toBeLessThanOrEqual(10);
  });
});
