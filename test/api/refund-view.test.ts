import { readFileSync } from 'node:fs';
import { getNamedType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { LiveSocket } from '../support/live-socket.js';
import { ok } from './governance-operations.js';

// The tester's finding: a refund's reason ("Duplicate charge for HIV viral load test"), invoice, amount and the
// patient's unapproved totals reached configuration readers without read:financial (support, integration-engineer)
// through changeRequest(id) and changeRequests. A refund change is now shown only to a caller the kernel lets read
// its invoice (the financial record rule, src/resolvers/proposal-view.ts), else withheld whole like a clinical
// proposal: every field of the stored change's answer is asked, as every such role, in every way a change is shown
// (changeRequest, changeRequests, the connection, change events), and none carries the refund's content.

const REASON = 'Duplicate charge for HIV viral load test';
const COMMENT = 'approved: HIV viral load test billed twice';
const REJECTION = 'not a duplicate HIV viral load test';
const REFUND = 'mutation($i: ID!, $a: Float!, $r: String!) { issueRefund(invoiceId: $i, amount: $a, reason: $r) { status ' +
  'changeRequestId } }';
const DECIDE = 'mutation($id: ID!, $c: String) { approveChange(id: $id, comment: $c) { status failureReason } }';
const REJECT = 'mutation($id: ID!, $r: String!) { rejectChange(id: $id, reason: $r) { status } }';

/** Every field of ChangeRequest, and of every object under it, as one selection (a new field is asked too). */
function selectionOf(type: GraphQLObjectType, depth = 0): string {
  if (depth > 4) return '__typename';
  const fields = Object.values(type.getFields()).filter((f) => f.args.every((a) => !('ofType' in a.type) || a.defaultValue !== undefined));
  return fields
    .map((f) => {
      const named = getNamedType(f.type);
      if (isLeafType(named)) return f.name;
      return isObjectType(named) ? `${f.name} { ${selectionOf(named, depth + 1)} }` : '';
    })
    .filter(Boolean)
    .join(' ');
}
const ALL = selectionOf(buildUnguardedSchema().getType('ChangeRequest') as GraphQLObjectType);

/** Configuration readers without read:financial, from the policy document (support, integration-engineer...). */
const policy = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
  roles: Record<string, { principalKinds: string[]; permissions: { dataClasses: string[]; actions: string[] }[] }>;
};
const reads = (role: string, dataClass: string) =>
  policy.roles[role]!.permissions.some((p) => p.dataClasses.includes(dataClass) && p.actions.includes('read'));
const READERS = Object.keys(policy.roles).filter(
  (r) => reads(r, 'configuration') && !reads(r, 'financial') && policy.roles[r]!.principalKinds.includes('user'),
);

let clock = Date.parse('2026-10-01T09:00:00.000Z');
let h: Harness;
let bill: string;
let fin: string;
let invoiceId: string;
const ids: Record<string, string> = {};
const secrets: string[] = [];

const refund = async (amount: number) => {
  secrets.push(amount.toFixed(2), String(amount));
  return ok<{ issueRefund: { status: string; changeRequestId: string } }>(await h.gql(bill, REFUND, { i: invoiceId, a: amount, r: REASON }))
    .issueRefund;
};

beforeAll(async () => {
  h = await startHarness({ stores: memoryStores(), now: () => clock });
  bill = await h.token({ sub: 'bill-view', roles: ['billing-manager'] });
  fin = await h.token({ sub: 'fin-view', roles: ['billing-manager'], mfa: true });
  const invoices = ok<{ patient: { invoices: { id: string; totalNet: number }[] } }>(
    await h.gql(bill, 'query($id: ID!) { patient(id: $id) { invoices { id totalNet } } }', { id: DENNIS }),
  ).patient.invoices;
  const invoice = invoices.filter((i) => i.totalNet >= 1000)[0]!;
  invoiceId = invoice.id;
  secrets.push(invoiceId, DENNIS, 'HIV', 'Duplicate charge');
  // One refund in each state a change can end in: applied at once, pending (with the first in its unapproved totals),
  // approved with a comment, rejected with a reason, and failed (more than was left once the other was applied).
  ids.applied = (await refund(23.19)).changeRequestId;
  ids.pending = (await refund(137.43)).changeRequestId;
  ids.approved = (await refund(141.27)).changeRequestId;
  expect(ok<{ approveChange: { status: string } }>(await h.gql(fin, DECIDE, { id: ids.approved, c: COMMENT })).approveChange.status).toBe(
    'APPLIED',
  );
  ids.rejected = (await refund(152.61)).changeRequestId;
  ok(await h.gql(fin, REJECT, { id: ids.rejected, r: REJECTION }));
  const left = Math.round((invoice.totalNet - 23.19 - 141.27) * 100) / 100;
  const part = Math.floor(left * 60) / 100;
  const first = (await refund(part)).changeRequestId;
  ids.failed = (await refund(part)).changeRequestId;
  ok(await h.gql(fin, DECIDE, { id: first, c: null }));
  const failed = ok<{ approveChange: { status: string; failureReason: string } }>(await h.gql(fin, DECIDE, { id: ids.failed, c: null }));
  expect(failed.approveChange.status).toBe('FAILED');
  secrets.push((left - part).toFixed(2), COMMENT, REJECTION);
}, 60_000);
afterAll(() => h.stop());

type Shown = {
  id: string;
  after: unknown;
  before: unknown;
  diff: unknown[];
  withheldPaths: string[];
  textsWithheld: boolean;
  reason: string | null;
  failureReason: string | null;
  approvals: { comment: string | null }[];
  rejection: { reason: string } | null;
};

const leaks = (body: unknown) => secrets.filter((s) => JSON.stringify(body).includes(s));

describe('a refund change is financial: withheld from configuration readers without read:financial', () => {
  it('the roles asked are the configuration readers without read:financial, support and integration-engineer among them', () => {
    expect(READERS).toEqual(expect.arrayContaining(['support', 'integration-engineer', 'auditor', 'security-admin', 'system-admin']));
    expect(READERS).not.toContain('billing-manager');
  });

  it('every field of every stored refund change, by id, in the list and in the connection, carries none of it', async () => {
    for (const role of READERS) {
      const token = await h.token({ sub: `reader-${role}`, roles: [role], mfa: true });
      for (const [state, id] of Object.entries(ids)) {
        const r = await h.gql<{ changeRequest: Shown }>(token, `query($id: ID!) { changeRequest(id: $id) { ${ALL} } }`, { id });
        const c = ok(r).changeRequest;
        expect(leaks(r.body), `${role} ${state}`).toEqual([]);
        expect(c, `${role} ${state}`).toMatchObject({
          id, after: null, before: null, diff: [], withheldPaths: [''], reason: null, textsWithheld: true,
        });
        expect(c.failureReason, `${role} ${state}`).toBeNull();
        expect(c.approvals.every((a) => a.comment === null), `${role} ${state}`).toBe(true);
        if (state === 'rejected') expect(c.rejection?.reason).toBe('(withheld: it needs read:financial)');
      }
      const list = await h.gql<{ changeRequests: Shown[] }>(token, `{ changeRequests(first: 20) { ${ALL} } }`);
      expect(ok(list).changeRequests.filter((c) => Object.values(ids).includes(c.id))).toHaveLength(Object.keys(ids).length);
      expect(leaks(list.body), role).toEqual([]);
      const page = await h.gql(token, `{ changeRequestsConnection(first: 8) { edges { node { ${ALL} } } } }`);
      expect(leaks(ok(page) && page.body), role).toEqual([]);
    }
  });

  it('its change events carry none of it to such a reader; the billing manager subscribed sees the refund', async () => {
    const EVENTS = `subscription { changeEvents { kind changeId change { ${ALL} } } }`;
    const open = async (token: string) => {
      const s = await LiveSocket.open(h.url.replace(/\/graphql$/, '/graphql/ws'), { authorization: `Bearer ${token}` });
      expect(await s.acked()).toBe(true);
      s.subscribe('e', EVENTS);
      return s;
    };
    const support = await open(await h.token({ sub: 'reader-live', roles: ['support'] }));
    const billing = await open(fin);
    try {
      clock += 25 * 3_600_000;
      const id = (await refund(31.37)).changeRequestId;
      const arrives = (s: LiveSocket) => s.waitFor((m) => m.id === 'e' && m.type === 'next' && JSON.stringify(m.payload).includes(id));
      const seen = (await arrives(support)).payload!;
      expect(seen.errors).toBeUndefined();
      expect(leaks(seen), 'support').toEqual([]);
      const change = (seen.data as { changeEvents: { change: Shown } }).changeEvents.change;
      expect(change).toMatchObject({ id, after: null, withheldPaths: [''] });
      const shown = (await arrives(billing)).payload!.data as { changeEvents: { change: Shown } };
      expect(shown.changeEvents.change).toMatchObject({ reason: REASON, after: { invoiceId, amount: 31.37 }, withheldPaths: [] });
    } finally {
      support.close();
      billing.close();
    }
  });

  it('the requester and the finance approver (read:financial) see all of it', async () => {
    for (const token of [bill, fin]) {
      const one = async (id: string) =>
        ok<{ changeRequest: Shown }>(await h.gql(token, `query($id: ID!) { changeRequest(id: $id) { ${ALL} } }`, { id })).changeRequest;
      expect(await one(ids.pending!)).toMatchObject({
        reason: REASON,
        withheldPaths: [],
        textsWithheld: false,
        after: { invoiceId, amount: 137.43, unapprovedBefore: { invoice: 23.19, patient: 23.19, windowHours: 24 } },
      });
      expect((await one(ids.approved!)).approvals.map((a) => a.comment)).toEqual([COMMENT]);
      expect((await one(ids.rejected!)).rejection?.reason).toBe(REJECTION);
      expect((await one(ids.failed!)).failureReason).toMatch(/more than is left on the invoice/);
    }
  });
});
