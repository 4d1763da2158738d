import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthEvent } from '../../src/audit/audit-event.js';
import { parseRecord } from '../../src/audit/audit-records.js';
import { UNVERIFIED_LOG } from '../../src/audit/failed-login.js';
import { loadOrCreateDevKeys, type DevKeys } from '../../src/auth/dev-keys.js';
import { parseConfig } from '../../src/config/config.js';
import { createMemoryGovernanceStore } from '../../src/stores/memory-governance-store.js';
import { failingStore } from '../support/failing-store.js';
import { startHarness, type Harness } from '../support/harness.js';

// A token that fails verification writes an `auth` event: to the tenant it claims when that is a tenant the store
// knows, else to `_unverified`; with the claimed subject only when it looks like one, marked unverified; never the
// token. The 401 stays a 401 whatever happens to the audit write.

const { issuer: ISSUER, audience: AUDIENCE } = parseConfig({}, []).auth;
const inner = createMemoryGovernanceStore();
const { store, failWrites } = failingStore(inner);
let h: Harness;
let dev: DevKeys;

beforeAll(async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'clearance-failed-login-'));
  dev = await loadOrCreateDevKeys(stateDir);
  h = await startHarness({ store, env: { CLEARANCE_STATE_DIR: stateDir } });
  // A first PHI read commits to acme, so the store knows the tenant. (Tokens are signed here with the dev key of the
  // state dir the gateway was given; the harness's own token() uses another.)
  const r = await h.gql(await sign({ roles: ['front-desk'] }), '{ patients(first: 1) { edges { node { name } } } }');
  expect(r.status).toBe(200);
});
afterAll(() => h.stop());

function sign(overrides: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { iss: ISSUER, aud: AUDIENCE, sub: 'dr-who', tenant: 'acme', roles: ['clinician'], iat: now, exp: now + 600, ...overrides };
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

describe('failed-login audit', () => {
  it('a bad signature is recorded in the claimed tenant\'s log, with the unverified subject and the reason, never the token', async () => {
    const token = tamper(await sign({}));
    const before = (await authEvents('acme')).events.length;
    const r = await post(`Bearer ${token}`);
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
    const { events, raw } = await authEvents('acme');
    expect(events.slice(before)).toMatchObject([{ tenant: 'acme', action: 'auth.failed', outcome: 'failure', reason: 'BAD_SIGNATURE', actor: { sub: 'dr-who', kind: 'unverified' } }]);
    for (const part of token.split('.')) expect(raw).not.toContain(part);
    expect(h.logLines.join('\n')).not.toContain(token.split('.')[2]);
  });

  it('an expired token with a valid signature is recorded too', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect((await post(`Bearer ${await sign({ sub: 'nurse-7', iat: past - 600, exp: past })}`)).status).toBe(401);
    expect((await authEvents('acme')).events.at(-1)).toMatchObject({ reason: 'EXPIRED', actor: { sub: 'nurse-7' } });
  });

  it('a tenant the store does not know, or no valid tenant at all, goes to the _unverified log', async () => {
    const before = (await authEvents(UNVERIFIED_LOG)).events.length;
    await post(`Bearer ${tamper(await sign({ tenant: 'ghost-clinic' }))}`);
    await post(`Bearer ${tamper(await sign({ tenant: '../acme' }))}`);
    await post('Bearer not-a-jws');
    const events = (await authEvents(UNVERIFIED_LOG)).events.slice(before);
    expect(events).toMatchObject([
      { tenant: UNVERIFIED_LOG, reason: 'BAD_SIGNATURE', actor: { sub: 'dr-who' } },
      { tenant: UNVERIFIED_LOG, reason: 'BAD_SIGNATURE', actor: { sub: 'dr-who' } },
      { tenant: UNVERIFIED_LOG, reason: 'MALFORMED_TOKEN', actor: null },
    ]);
    expect(await inner.tenants()).not.toContain('ghost-clinic');
  });

  it('an implausible subject is not recorded (actor null)', async () => {
    await post(`Bearer ${tamper(await sign({ sub: 'x'.repeat(300) }))}`);
    await post(`Bearer ${tamper(await sign({ sub: 'Robert"); DROP TABLE' }))}`);
    expect((await authEvents('acme')).events.slice(-2).map((e) => e.actor)).toEqual([null, null]);
  });

  it('a request with no token is not a failed login: nothing is written', async () => {
    const before = [(await authEvents('acme')).events.length, (await authEvents(UNVERIFIED_LOG)).events.length];
    expect((await post(null)).status).toBe(401);
    expect([(await authEvents('acme')).events.length, (await authEvents(UNVERIFIED_LOG)).events.length]).toEqual(before);
  });

  it('when the audit write fails, the answer is still 401 UNAUTHENTICATED', async () => {
    failWrites(true);
    try {
      const r = await post(`Bearer ${tamper(await sign({}))}`);
      expect(r.status).toBe(401);
      expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
    } finally {
      failWrites(false);
    }
  });
});
