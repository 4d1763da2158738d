import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { APPROVE, UPDATE_SETTING, actors, ok, type Change, type ChangeResult } from './governance-operations.js';

// Issue 13 item 8: `access.mfaPolicy`, applied through its two approvals, changes what a request may do. Before it is
// applied nothing is refused on its account; after, a token without a second factor, or a sign-in older than
// maxSessionHours, is refused UNAUTHENTICATED with a stable reason (MFA_REQUIRED, SESSION_TOO_OLD) on every request.
// The gateway's clock is injected: the session ages by moving it, not by waiting.

const PATIENT = '0ac13d55-d566-450a-aea0-f6a71f1ad73b';
const READ = `query ($id: ID!) { patient(id: $id) { id name } }`;
const HOUR = 3_600_000;

let h: Harness;
let skewMs = 0;
let t: Record<'sec1' | 'sec2' | 'eng1', string>;

beforeAll(async () => {
  h = await startHarness({ now: () => Date.now() + skewMs });
  t = await actors(h, {
    sec1: { roles: ['security-admin'], mfa: true },
    sec2: { roles: ['security-admin'], mfa: true },
    eng1: { roles: ['integration-engineer'], mfa: true },
  });
});
afterAll(() => h.stop());

const nurse = (mfa: boolean) => h.token({ sub: `nurse-${String(mfa)}`, roles: ['nurse'], departments: ['cardiology'], mfa });
const reads = async (token: string) => h.gql<{ patient: { id: string } | null }>(token, READ, { id: PATIENT });

async function applyPolicy(value: Record<string, unknown>): Promise<void> {
  const proposed = ok(
    await h.gql<{ updateSetting: ChangeResult }>(t.sec1, UPDATE_SETTING, {
      input: { key: 'access.mfaPolicy', environment: 'PRODUCTION', value, reason: 'issue 13' },
    }),
  );
  let change: Change = proposed.updateSetting.changeRequest;
  for (const approver of [t.sec2, t.eng1]) {
    if (change.status === 'APPLIED') break;
    change = ok(await h.gql<{ approveChange: Change }>(approver, APPROVE, { id: change.id })).approveChange;
  }
  expect(change.status).toBe('APPLIED');
}

function expectRefused(r: Awaited<ReturnType<typeof reads>>, reason: string): void {
  expect(r.status).toBe(401);
  expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
  expect(r.body.data ?? null).toBeNull();
}

describe('access.mfaPolicy', () => {
  it('before it is applied, a non-MFA 8-hour token reads', async () => {
    expect(ok(await reads(await nurse(false))).patient?.id).toBe(PATIENT);
  });

  it('admins-and-approvers: an editor role without MFA is refused, a nurse without MFA is not', async () => {
    await applyPolicy({ requiredFor: 'admins-and-approvers', requiredForApprovals: true, maxSessionHours: 8 });
    const secNoMfa = await h.token({ sub: 'sec-no-mfa', roles: ['security-admin'] });
    expectRefused(await h.gql(secNoMfa, `{ me { sub } }`), 'MFA_REQUIRED');
    expect(ok(await reads(await nurse(false))).patient?.id).toBe(PATIENT);
    expect(ok(await h.gql<{ me: { sub: string } }>(t.sec1, `{ me { sub } }`)).me.sub).toBe('sec1');
  });

  it('all-users, 1 hour: a non-MFA token is refused MFA_REQUIRED; an MFA session older than an hour SESSION_TOO_OLD', async () => {
    await applyPolicy({ requiredFor: 'all-users', requiredForApprovals: true, maxSessionHours: 1 });
    const plain = await nurse(false);
    const strong = await nurse(true);
    expectRefused(await reads(plain), 'MFA_REQUIRED');
    expect(ok(await reads(strong)).patient?.id).toBe(PATIENT);
    // The same MFA token, its sign-in now 2 hours old (the token itself still valid for 6 more).
    skewMs = 2 * HOUR;
    try {
      expectRefused(await reads(strong), 'SESSION_TOO_OLD');
      expectRefused(await h.gql(t.sec1, `{ me { sub } }`), 'SESSION_TOO_OLD');
      // A fresh sign-in with MFA reads again.
      skewMs = 0;
      expect(ok(await reads(await nurse(true))).patient?.id).toBe(PATIENT);
    } finally {
      skewMs = 0;
    }
  });

  it('agents and services are not people: the policy does not name them', async () => {
    const agent = await h.token({ sub: 'triage-bot', kind: 'agent', roles: ['ai-agent'], departments: ['cardiology'] });
    const r = await reads(agent);
    expect(r.status).toBe(200);
    expect(r.body.errors?.some((e) => e.extensions?.['reason'] === 'MFA_REQUIRED') ?? false).toBe(false);
  });
});
