import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ok, refused } from './governance-operations.js';

// Tester finding M2: an access request for 1 minute, approved 2 minutes later, was APPLIED already expired (grantedAt
// the request time, expiresAt request + 1 min). Every kind of access change that carries a time, over HTTP with an
// injected clock: a requested role or grant lasts the minutes asked for from the approval that applies it; a dated
// assignment keeps its date, and its change expires with it (approving it after is CONFLICT NOT_PENDING on an EXPIRED
// change, explain says so first, nothing applied); a standing assignment is granted at its apply; break-glass, never approved, runs from
// its opening.

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const MIN = 60_000;
let now = T0;
let h: Harness;

const iso = (ms: number) => new Date(ms).toISOString();
const REQUEST = `mutation ($input: RequestAccessInput!) { requestAccess(input: $input) { status changeRequest { id expiresAt } } }`;
const ASSIGN = `mutation ($input: AssignRoleInput!) { assignRole(input: $input) { status changeRequest { id expiresAt } } }`;
const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
const EXPLAIN = 'query ($a: String!) { explain(action: $a) { decision reason } }';
const ACCESS_OF = 'query ($s: String!) { accessOf(assignee: $s) { id grantedAt expiresAt active } }';
type Entry = { id: string; grantedAt: string; expiresAt: string | null; active: boolean };
type Proposed = { status: string; changeRequest: { id: string; expiresAt: string } };

const user = (sub: string, roles: string[], departments: string[] = []) => h.token({ sub, roles, departments, mfa: true } as never);
const security = (sub: string) => user(sub, ['security-admin']);
const accessOf = async (sub: string) =>
  ok<{ accessOf: Entry[] }>(await h.gql(await security('sec-reader'), ACCESS_OF, { s: sub })).accessOf;

interface Kind {
  /** The person whose access changes. */
  readonly sub: string;
  /** Proposes the change at `now`: its id and the change's own expiresAt. */
  readonly propose: () => Promise<{ id: string; expiresAt: string }>;
  /** The approvers, in order; the last one's approval applies it. */
  readonly approvers: () => Promise<string[]>;
  /** How long after the proposal the approvals come. */
  readonly waitMs: number;
  /** What the applied entry says, given when it was applied; or EXPIRED: the approval is refused, nothing applied. */
  readonly expect: (appliedAt: number, proposedAt: number) => { grantedAt: number; expiresAt: number | null } | 'EXPIRED';
}

const request = (sub: string, roles: string[], departments: string[], input: Record<string, unknown>) => async () => {
  const r = ok<{ requestAccess: Proposed }>(await h.gql(await user(sub, roles, departments), REQUEST, { input }));
  expect(r.requestAccess.status).toBe('PENDING_APPROVAL');
  return r.requestAccess.changeRequest;
};
const assign = (sub: string, role: string, expiresAt: (proposedAt: number) => number | null) => async () => {
  const at = expiresAt(now);
  const input = { assignee: sub, assignedRole: role, reason: 'cover', ...(at === null ? {} : { expiresAt: iso(at) }) };
  const r = ok<{ assignRole: Proposed }>(await h.gql(await security('sec-assigner'), ASSIGN, { input }));
  expect(r.assignRole.status).toBe('PENDING_APPROVAL');
  return r.assignRole.changeRequest;
};

/** Every kind of access change that carries a time (break-glass, immediate, has its own case below). */
const KINDS: Record<string, Kind> = {
  'grant request (identifiers, 1 minute), approved 2 minutes later': {
    sub: 'rn-id',
    propose: request('rn-id', ['nurse'], ['cardiology'], { requestedGrant: 'identifiers', justification: 'quick', durationMinutes: 1 }),
    approvers: async () => [await security('sec-1'), await user('bm-1', ['billing-manager'])],
    waitMs: 2 * MIN,
    expect: (applied) => ({ grantedAt: applied, expiresAt: applied + MIN }),
  },
  'role request (clinician for oncology, 60 minutes), approved 2 hours later': {
    sub: 'dr-rr',
    propose: request('dr-rr', ['clinician'], ['cardiology'], {
      requestedRole: 'clinician', scopeDepartments: ['oncology'], justification: 'covering oncology', durationMinutes: 60,
    }),
    approvers: async () => [await security('sec-2'), await user('dr-director', ['clinical-admin'])],
    waitMs: 2 * 60 * MIN,
    expect: (applied) => ({ grantedAt: applied, expiresAt: applied + 60 * MIN }),
  },
  'assignment with an expiry date, approved before it': {
    sub: 'rn-dated',
    propose: assign('rn-dated', 'billing-manager', (at) => at + 24 * 60 * MIN),
    approvers: async () => [await security('sec-3'), await user('bm-3', ['billing-manager'])],
    waitMs: 60 * MIN,
    expect: (applied, proposed) => ({ grantedAt: applied, expiresAt: proposed + 24 * 60 * MIN }),
  },
  'assignment with an expiry date, approved after it': {
    sub: 'rn-late',
    propose: assign('rn-late', 'billing-manager', (at) => at + 60 * MIN),
    approvers: async () => [await security('sec-4'), await user('bm-4', ['billing-manager'])],
    waitMs: 2 * 60 * MIN,
    expect: () => 'EXPIRED',
  },
  'standing assignment, approved a day later': {
    sub: 'rn-standing',
    propose: assign('rn-standing', 'billing-manager', () => null),
    approvers: async () => [await security('sec-5'), await user('bm-5', ['billing-manager'])],
    waitMs: 24 * 60 * MIN,
    expect: (applied) => ({ grantedAt: applied, expiresAt: null }),
  },
};

beforeAll(async () => {
  h = await startHarness({ now: () => now });
});
afterAll(() => h.stop());

describe('an access change counts its time from the approval that applies it', () => {
  it.each(Object.keys(KINDS))('%s', async (name) => {
    const kind = KINDS[name]!;
    const proposedAt = T0 + Object.keys(KINDS).indexOf(name) * 10 * 24 * 60 * MIN;
    now = proposedAt;
    const change = await kind.propose();
    const approvers = await kind.approvers();
    now = proposedAt + kind.waitMs;
    const expected = kind.expect(now, proposedAt);
    const explained = async () => ok<{ explain: { decision: string; reason: string | null } }>(
      await h.gql(approvers[0]!, EXPLAIN, { a: `change:approve:${change.id}` }),
    ).explain;

    if (expected === 'EXPIRED') {
      // The change waits no longer than what it gives: it expires with the assignment's date (read, it is EXPIRED).
      expect(Date.parse(change.expiresAt)).toBe(proposedAt + 60 * MIN);
      expect(await explained()).toEqual({ decision: 'DENY', reason: 'NOT_PENDING' });
      refused(await h.gql(approvers[0]!, APPROVE, { id: change.id }), 'CONFLICT', 'NOT_PENDING');
      const read = ok<{ changeRequest: { status: string } }>(
        await h.gql(approvers[0]!, 'query ($id: ID!) { changeRequest(id: $id) { status } }', { id: change.id }),
      );
      expect(read.changeRequest.status).toBe('EXPIRED');
      expect(await accessOf(kind.sub)).toEqual([]);
      return;
    }
    expect(await explained()).toEqual({ decision: 'ALLOW', reason: null });
    let status = '';
    for (const approver of approvers)
      status = ok<{ approveChange: { status: string } }>(await h.gql(approver, APPROVE, { id: change.id })).approveChange.status;
    expect(status).toBe('APPLIED');
    const expiresAt = expected.expiresAt === null ? null : iso(expected.expiresAt);
    const want = { id: change.id, grantedAt: iso(expected.grantedAt), expiresAt };
    expect(await accessOf(kind.sub)).toEqual([{ ...want, active: true }]);
    if (expected.expiresAt === null) return;
    now = expected.expiresAt - 1;
    expect((await accessOf(kind.sub))[0]!.active).toBe(true);
    now = expected.expiresAt;
    expect((await accessOf(kind.sub))[0]!.active).toBe(false);
  });

  it('break-glass is never approved: it runs from its opening, for the minutes the policy gives', async () => {
    now = T0 + 100 * 24 * 60 * MIN;
    const cruz = await user('dr-bg', ['clinician'], ['cardiology']);
    const bg = ok<{ breakGlass: { grantedAt: string; expiresAt: string } }>(
      await h.gql(
        cruz,
        'mutation ($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious patient in the ED") { grantedAt expiresAt } }',
        { id: CARROLL },
      ),
    ).breakGlass;
    expect(bg).toEqual({ grantedAt: iso(now), expiresAt: iso(now + 60 * MIN) });
  });
});
