import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKeys, type DevKeys } from '../../src/auth/dev-keys.js';
import { parseConfig } from '../../src/config/config.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 13 item 6: a signed token whose claims carry the names of Object.prototype's members (a role called
// "constructor", a grant called "__proto__") must be an ordinary unknown name: never HTTP 500. Every such name in
// every claim position, against identity, PHI reads, explain, the settings catalog and a write.

const { issuer: ISSUER, audience: AUDIENCE } = parseConfig({}, []).auth;
export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  'prototype',
] as const;

const POSITIONS: Record<string, (name: string) => Record<string, unknown>> = {
  roles: (n) => ({ roles: [n] }),
  'roles beside a real role': (n) => ({ roles: ['clinician', n], departments: ['cardiology'] }),
  grants: (n) => ({ roles: ['clinician'], departments: ['cardiology'], grants: [n] }),
  departments: (n) => ({ roles: ['clinician'], departments: [n] }),
  sub: (n) => ({ sub: n, roles: ['clinician'], departments: ['cardiology'] }),
  tenant: (n) => ({ tenant: n, roles: ['clinician'] }),
  amr: (n) => ({ roles: ['clinician'], departments: ['cardiology'], amr: [n] }),
  scope: (n) => ({ roles: ['clinician'], departments: ['cardiology'], scope: `user/${n}.rs ${n}` }),
  kind: (n) => ({ roles: ['clinician'], kind: n }),
};

const QUERIES = [
  '{ me { sub tenant roles grants departments } }',
  '{ patients(first: 2) { edges { node { id name } } } }',
  `{ patient(id: "${DENNIS}") { id name conditions { display } } }`,
  '{ explain(action: "read:clinical") { decision rule } }',
  '{ explainField(type: "Patient", field: "ssn") { decision } }',
  '{ settingsCatalog(environment: PRODUCTION) { key } }',
  `mutation { breakGlass(patientId: "${DENNIS}", reason: "prototype names test") { id } }`,
];

let h: Harness;
let dev: DevKeys;

beforeAll(async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'clearance-proto-'));
  dev = await loadOrCreateDevKeys(stateDir);
  h = await startHarness({
    env: {
      CLEARANCE_STATE_DIR: stateDir,
      RATE_LIMIT_FAILED_AUTH_PER_IP: '0',
      RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '0',
      RATE_LIMIT_PER_PRINCIPAL: '0',
    },
  });
}, 60_000);
afterAll(() => h.stop());

function sign(overrides: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'dr-proto',
    tenant: 'acme',
    roles: ['clinician'],
    iat: now,
    exp: now + 600,
    ...overrides,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: dev.kid, typ: 'JWT' }).sign(dev.privateKey);
}

const cases = PROTOTYPE_NAMES.flatMap((name) => Object.keys(POSITIONS).map((position) => [name, position] as const));

describe('claims named like Object.prototype members', () => {
  it('a tenant named like one is no tenant (INVALID_CLAIM), whatever signed it', async () => {
    // Every member of Object.prototype (`prototype` itself is not one: it stays a mere unknown tenant, below).
    for (const name of PROTOTYPE_NAMES.filter((n) => n in {})) {
      const res = await fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign({ tenant: name })}` },
        body: '{"query":"{ me { tenant } }"}',
      });
      expect(res.status, name).toBe(401);
    }
  });

  it.each(cases)('%s as %s: an unknown name, never a 500', async (name, position) => {
    const token = await sign(POSITIONS[position]!(name));
    for (const query of QUERIES) {
      const res = await fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect([200, 401], `${query}: ${JSON.stringify(body)}`).toContain(res.status);
      const codes = (body.errors ?? []).map((e) => e.extensions?.code);
      expect(codes, `${query}: ${JSON.stringify(body)}`).not.toContain('INTERNAL_SERVER_ERROR');
      expect(codes, `${query}: ${JSON.stringify(body)}`).not.toContain('INTERNAL');
    }
  });
});
